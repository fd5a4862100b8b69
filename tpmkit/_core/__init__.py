"""The private scheduling core shared by every engine (not public API).

* :mod:`~tpmkit._core.codes` — link and constraint type codes (IntEnums) and the one
  float tolerance ``EPS``;
* :mod:`~tpmkit._core.jit` — the only module that imports numba (optional);
* :mod:`~tpmkit._core.graph` — CSR adjacency, topological order, cycle search and the
  longest-path passes on DAGs;
* :mod:`~tpmkit._core.pdm` — the one set of precedence-diagramming rules (link distances,
  constraints, the forward and backward passes of one iteration);
* :mod:`~tpmkit._core.rng` — the one seed helper.

``codes`` and ``rng`` import no numba; ``jit``, ``graph`` and ``pdm`` do (when it is
installed), so the public modules import them inside functions, never at module import.
"""

__all__: list[str] = []
