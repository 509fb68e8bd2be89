"""Evac's own settings, plus one bare view (bench/surge/urls.py) to measure the pages against.

Only the surge benchmark serves these; production URLs never include the bare view.
"""

from evac.settings import *  # noqa: F403

ROOT_URLCONF = "bench.surge.urls"
