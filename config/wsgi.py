"""WSGI entry point, served by gunicorn (see config/gunicorn.conf.py)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# What is loaded by now lives as long as the process: keep it out of the garbage
# collector's full passes, which a 1,000-comment page's allocations set off and which
# would otherwise walk every module, model and URL pattern (bench/run.py does the same).
gc.freeze()
