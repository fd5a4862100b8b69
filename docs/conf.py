"""Sphinx configuration of the tpmkit documentation (``make docs``).

The site builds offline: every extension and the theme come from the package registry, the
theme's external fonts, icons and analytics are off, notebooks are rendered without executing
them, and ``tests/test_docs.py`` checks that the built pages request nothing outside the site.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))
sys.path.insert(0, str(HERE.parent))
os.environ.setdefault("MPLBACKEND", "Agg")

import tpmkit  # noqa: E402

project = "tpmkit"
author = "tpmkit developers"
copyright = "tpmkit developers, MIT licence"
release = tpmkit.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.mathjax",
    "numpydoc",
    "myst_nb",
    "sphinx_design",
    "sphinx_copybutton",
    "sphinxarg.ext",
    "tpmkit_docs",
]

exclude_patterns = ["_build", "**.ipynb_checkpoints", "dev/README.md"]
source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}
root_doc = "index"
nitpicky = False
# numpydoc keeps a References section as citations even when the text does not cite them
suppress_warnings = ["myst.header", "ref.citation"]

# --- autodoc + numpydoc -------------------------------------------------------------
autodoc_default_options = {"member-order": "bysource"}
autodoc_typehints = "none"  # numpydoc sections carry the types; signatures stay readable
autodoc_class_signature = "mixed"
autodoc_inherit_docstrings = False
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
numpydoc_attributes_as_param_list = False
# numpydoc validation: a documented object with a missing docstring (GL08) or a malformed
# one fails the build (-W). Every check is on except those listed, which the code base does
# not follow (extended summaries, See Also and Examples everywhere, a description for every
# parameter and return value, summaries in the imperative mood); see dev/documentation.md.
numpydoc_validation_checks = {
    "all", "ES01", "SA01", "EX01", "PR01", "PR04", "PR07", "RT01", "RT03", "SS05", "SS06",
}
# constants are documented by their ``#:`` comment, which numpydoc does not see; __init__
# and __call__ are documented by their class
numpydoc_validation_exclude = {r"\.[A-Z][A-Z0-9_]*$", r"\.__init__$", r"\.__call__$"}

# --- MyST / myst-nb -----------------------------------------------------------------
myst_enable_extensions = ["colon_fence", "deflist", "dollarmath", "amsmath", "fieldlist"]
myst_heading_anchors = 3
nb_execution_mode = "off"
nb_merge_streams = True

# --- offline HTML -------------------------------------------------------------------
# MathJax 2 from the jupyter-server-mathjax package, copied into _static/mathjax by
# tpmkit_docs at build time (Sphinx's default is a CDN); only its own STIX web fonts.
mathjax_path = "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full"
mathjax2_config = {
    "HTML-CSS": {"availableFonts": ["STIX-Web"], "preferredFont": "STIX-Web",
                 "webFont": "STIX-Web", "imageFont": None},
    "menuSettings": {"zoom": "None"},
    "showMathMenu": False,
    "messageStyle": "none",
    # MyST marks its pages "tex2jax_ignore" and its formulas "math" (as for MathJax 3)
    "tex2jax": {"processClass": "math|output_area", "ignoreClass": "tex2jax_ignore|mathjax_ignore"},
}
html_theme = "pydata_sphinx_theme"
html_title = f"tpmkit {release}"
html_static_path = ["_static"]
html_copy_source = False
html_show_sourcelink = False
html_last_updated_fmt = None
html_theme_options = {
    "navbar_end": ["navbar-icon-links"],
    "icon_links": [],
    "use_edit_page_button": False,
    "show_toc_level": 2,
    # the left navigation lists a section's pages, not every object of every API page
    "navigation_depth": 2,
    "collapse_navigation": True,
    "navigation_with_keys": False,
    "header_links_before_dropdown": 6,
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
    "secondary_sidebar_items": ["page-toc"],
    "search_bar_text": "Search the docs",
}
html_context = {"default_mode": "light"}
html_sidebars = {"whatsnew": [], "index": []}
