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
"""
