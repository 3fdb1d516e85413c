"""``python -m leadgen``.  The guard matters: import workers may be started with spawn, which
imports this module again in the child."""

from leadgen.cli import main

if __name__ == "__main__":
    main()
