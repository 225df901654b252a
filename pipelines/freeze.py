"""Imported last by the workers' fork server (:data:`pipelines.workers.FREEZE`), and nowhere else: it freezes what
the fork server has imported (:func:`gc.freeze`), as Python's documentation advises for a process that forks
without exec. The workers forked from it then neither walk those objects in their cycle collections nor copy the
memory they sit in; and when the crawl ends, the fork server exits without walking them either: a tenth of a
second that ``scrapy crawl``, and whatever reads its output, waited for.
"""

import gc

gc.freeze()
