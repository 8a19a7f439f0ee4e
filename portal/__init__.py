# Before any module declares a route: every app's routes use the ``id`` converter.
from portal import converters

converters.register()
