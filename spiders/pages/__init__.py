"""Page objects: pure extraction from (url, html), no requests and no I/O."""
