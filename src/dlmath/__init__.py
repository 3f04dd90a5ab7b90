"""Helpers for the executable textbook of deep-learning mathematics.

Each module is one of the book's topics; the notebooks in ``chapters/`` import from them.
"""
