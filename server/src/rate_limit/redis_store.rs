use redis::aio::ConnectionManager;

use super::WINDOW_SECONDS;

/// Counters shared by every server process: INCR on a per-window key that expires with it.
pub struct RedisStore {
    conn: ConnectionManager,
}

impl RedisStore {
    pub async fn connect(url: &str) -> redis::RedisResult<Self> {
        let client = redis::Client::open(url)?;
        Ok(Self { conn: ConnectionManager::new(client).await? })
    }

    pub async fn increment(&self, key: &str) -> redis::RedisResult<u64> {
        let mut conn = self.conn.clone();
        let (count,): (u64,) = redis::pipe()
            .atomic()
            .incr(key, 1u64)
            .expire(key, (WINDOW_SECONDS + 1) as i64)
            .ignore()
            .query_async(&mut conn)
            .await?;
        Ok(count)
    }

    pub async fn ping(&self) -> redis::RedisResult<()> {
        let mut conn = self.conn.clone();
        redis::cmd("PING").query_async::<String>(&mut conn).await.map(|_| ())
    }
}
