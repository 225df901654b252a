"""Crawls that share a frontier on Redis: many crawl processes, one archive writer (``FRONTIER_URL``)."""
