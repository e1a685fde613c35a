//! Content pieces: generated or written copy for one platform, its review workflow and history.

use serde::{Deserialize, Serialize};

use crate::brain::channels::ContentPlatform;
use crate::brain::creative::CreativeAnalysis;

pub const CONTENT_FORMATS: [&str; 7] = ["post", "ad", "story", "video_script", "email", "sms", "article"];
pub const CONTENT_STATUSES: [&str; 5] = ["draft", "in_review", "approved", "scheduled", "published"];

/// `POST /api/content/generate`
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GenerateContentRequest {
    pub campaign_id: Option<String>,
    pub platform: String,
    pub format: String,
    pub brief: String,
    /// The calendar slot to fill (YYYY-MM-DD).
    pub scheduled_for: Option<String>,
}

/// `POST /api/content` (written by hand) and `PUT /api/content/{id}` (absent fields kept).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ContentInput {
    pub campaign_id: Option<String>,
    pub platform: Option<String>,
    pub format: Option<String>,
    pub headline: Option<String>,
    pub body: Option<String>,
    pub cta: Option<String>,
    pub hashtags: Option<Vec<String>>,
    /// YYYY-MM-DD; an empty string clears it.
    pub scheduled_for: Option<String>,
}

/// `POST /api/content/{id}/status`
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContentStatusRequest {
    pub status: String,
    /// Where the team published it (published outside OmniFy).
    pub published_url: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContentDto {
    pub content_id: String,
    pub campaign_id: Option<String>,
    pub campaign_name: Option<String>,
    pub platform: ContentPlatform,
    pub format: String,
    pub headline: Option<String>,
    pub body: String,
    pub cta: Option<String>,
    pub hashtags: Vec<String>,
    pub status: String,
    pub scheduled_for: Option<String>,
    pub published_url: Option<String>,
    pub aida_overall: i64,
    /// "builtin", a model id, or "human".
    pub engine: String,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContentVersionDto {
    pub version: i64,
    pub headline: Option<String>,
    pub body: String,
    pub status: String,
    pub change: String,
    pub changed_by: Option<String>,
    pub created_at: String,
}

/// What the team can do with a piece on its platform.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublishingDto {
    pub can_publish: bool,
    /// Plain words: why not, and what to do instead.
    pub message: String,
    /// Download links (relative API paths).
    pub exports: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContentDetailResponse {
    pub content: ContentDto,
    pub analysis: CreativeAnalysis,
    pub versions: Vec<ContentVersionDto>,
    pub publishing: PublishingDto,
    /// Statuses this piece can move to next.
    pub next_statuses: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContentListResponse {
    pub content: Vec<ContentDto>,
    /// The server's date (UTC), where calendars start.
    pub today: String,
    /// Generations still queued or running (the page polls while there are any).
    pub pending_jobs: Vec<crate::model::JobDto>,
    /// The newest generation's error, when it failed.
    pub last_error: Option<String>,
}
