"""The *Check my certificates* view: `certificates` is its one page (the table of every
certificate found, with Remove and Undo).
"""
