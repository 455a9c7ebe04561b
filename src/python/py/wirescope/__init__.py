"""wirescope: run unmodified Python programs as green threads in virtual time.

``wirescope.transform`` rewrites code so that it can suspend; ``wirescope.runtime``
drives it.  See docs/python-runtime.md.
"""
