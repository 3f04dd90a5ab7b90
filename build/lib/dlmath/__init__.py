"""Helpers for the executable textbook of deep-learning mathematics.

A module is one chapter's maths or a tool the chapters share; the README's
"Layout" section says in a line what each one is for.
"""
