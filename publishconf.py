"""Settings for the published site: as pelicanconf, with the public address when CI gives one."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *

SITEURL = os.environ.get("SITEURL", "")
RELATIVE_URLS = not SITEURL
