"""The real redis-server the shared-frontier tests start: it answers, and with an AOF keeps data over a restart."""

from tests.redis_server import RedisServer, redis_server  # noqa: F401 (fixture)


def test_a_fresh_server_answers_and_is_empty(redis_server):  # noqa: F811
    client = redis_server.client()
    assert client.dbsize() == 0
    client.rpush("queue", "a", "b")
    assert client.lrange("queue", 0, -1) == [b"a", b"b"]


def test_with_an_append_only_file_data_survives_a_kill(tmp_path):
    server = RedisServer(tmp_path / "redis", appendonly=True).start()
    try:
        server.client().rpush("queue", "kept")
        server.restart()
        assert server.client().lrange("queue", 0, -1) == [b"kept"]
    finally:
        server.stop()


def test_without_one_a_restart_starts_empty(tmp_path):
    server = RedisServer(tmp_path / "redis").start()
    try:
        server.client().rpush("queue", "lost")
        server.restart()
        assert server.client().exists("queue") == 0
    finally:
        server.stop()
