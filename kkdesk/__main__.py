"""Allow ``python -m kkdesk``."""

from kkdesk.cli import main

raise SystemExit(main())
