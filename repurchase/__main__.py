import sys

from repurchase.cli.main import main

sys.exit(main())
