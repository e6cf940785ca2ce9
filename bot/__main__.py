"""python -m bot == rolesplit."""

from bot.cli import main

raise SystemExit(main())
