"""Helpers of the fuzzing suite (tests/test_fuzz.py): seed corpus, mutations, hostile files."""
