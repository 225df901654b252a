"""The shared frontier: many ``scrapy crawl <outlet>`` processes, on one machine or many, taking
their requests from one Redis (setting ``FRONTIER_URL``; empty, the default, leaves a crawl as it
always was: one process, no Redis, and nothing here imported).

* :mod:`~crawler.frontier.addon` switches a crawl to the frontier when ``FRONTIER_URL`` is set;
* :mod:`~crawler.frontier.scheduler` and :mod:`~crawler.frontier.queue`: scrapy-redis's scheduler and
  priority queue, where a request taken by a process is held under that process's name until it is
  finished, so that a process that dies gives its requests back;
* :mod:`~crawler.frontier.dupefilter`: scrapy-redis's duplicate filter, naming redirect loops;
* :mod:`~crawler.frontier.requested`: the article URLs asked for in a run, by every process
  (:mod:`~crawler.frontier.shared_requested` keeps them in Redis);
* :mod:`~crawler.frontier.run`: which processes share a run, their heartbeats, when the run is over;
* :mod:`~crawler.frontier.finished`: when a taken request is finished;
* :mod:`~crawler.frontier.keys` names the keys, :mod:`~crawler.frontier.connection` connects and
  stops a crawl whose Redis is gone.

Between the crawl processes and the archive (one SQLite file, one writer):

* :mod:`~crawler.frontier.stream`: a crawl process puts its finished items and its run's start and
  end on a Redis Stream, in :mod:`~crawler.frontier.messages`' JSON;
* :mod:`~crawler.frontier.writer`: ``scrapy archive-writer`` reads that stream, deduplicates and stores
  each item once, as a crawl of one process does;
* :mod:`~crawler.frontier.knowledge`: what the spiders ask of the archive, which the writer publishes
  in Redis, so that a crawl process never opens the archive.
"""
