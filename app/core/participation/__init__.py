"""Participation: people in a workshop vote, comment and pin from their phones (Qt-free).

- :mod:`.session` — the session (join and facilitator tokens, permissions, dot budget,
  open/closed voting), limits, and the checks every participant action passes;
- :mod:`.actions` — an accepted action as data;
- :mod:`.results` — every accepted action of a project, tallies, moderation (hidden);
- :mod:`.journal` — the write-ahead journal next to the project (fsync before acceptance);
- :mod:`.tables` — the ``participation_*`` tables of the project GeoPackage, CSV;
- :mod:`.scene` — what a phone may see of the current scene (no paths, no other data);
- :mod:`.server` — the aiohttp server in its own thread and event loop;
- :mod:`.page` — the phone page (HTML, CSS, JS and the Hangul font subset).
"""
