#!/usr/bin/env python
"""Django's command-line utility; `python -m doorstep` does the same."""

from doorstep.__main__ import main

if __name__ == "__main__":
    main()
