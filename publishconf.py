"""Settings for the published site: as pelicanconf, with the public address when CI gives one."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *

SITEURL = os.environ.get("SITEURL", "")
RELATIVE_URLS = not SITEURL

# The repository CI publishes from: each figure and source then links to its edit page there and
# to the issue form. Unset (a local `make publish`), no such links.
UHC_REPOSITORY = os.environ.get("UHC_REPOSITORY") or None
UHC_BRANCH = os.environ.get("UHC_BRANCH") or "main"
