"""``parley poll``: RSS, Atom and JSON feeds over HTTP into the raw topic.

Pure parts, unit-tested without a network or a broker:

- ``config``: FEEDS.yaml, validated, errors as ``file:line: problem``;
- ``fetch``: one conditional GET with timeouts, a size cap, bounded
  redirects, politeness per host, and a closed set of error classes;
- ``entries``: a response body to feed entries (reusing ingestion's
  feedparser and JSON readers), entry identity and content hashes, and the
  JSON article record ingestion already accepts;
- ``state``: per-feed state (validators, seen entries, schedule, errors),
  what to publish, and the next due time with backoff.

``poller`` is the thin Faust layer: partition ownership, the schedule loop,
publishing, the state table, metrics and health (``workers.feeds.metrics``).
"""
