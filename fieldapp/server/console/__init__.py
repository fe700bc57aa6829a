"""The office console: server-rendered pages (Starlette + Jinja2) for supervisors,
administrators and inspectors, served by the sync server at ``/`` beside the sync API at
``/v1``. It is a package of its own: the sync API never imports it.

Pages read through ``fieldapp.server.queries`` and friends, never SQL; every page and action
is checked by ``access.page`` (the one place for role and scope rules); every string goes
through the console's gettext catalogue (``resources/translations/console``).
"""
