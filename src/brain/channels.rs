//! The content platforms OmniFy writes for, and each one's documented limits. Shared by the
//! creative scorer, the repurposer, the built-in AI engine and the prompt builder, so every part
//! holds copy to the same rules.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContentPlatform {
    Facebook,
    Instagram,
    Linkedin,
    X,
    Tiktok,
    GoogleAds,
    Email,
    Sms,
    Blog,
}

/// What a platform allows and what tends to work there.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ChannelLimits {
    /// Hard limit on the body copy in characters (the platform truncates or rejects beyond it).
    pub max_chars: usize,
    /// Length that performs best; longer copy is allowed but is "read more"-folded.
    pub ideal_chars: usize,
    /// Headline / subject limit, where the platform has one.
    pub max_headline_chars: Option<usize>,
    pub max_hashtags: usize,
    /// How the copy should sound on this platform.
    pub tone: &'static str,
    /// Whether emoji are customary.
    pub emoji: bool,
}

impl ContentPlatform {
    pub const ALL: [ContentPlatform; 9] = [
        Self::Facebook,
        Self::Instagram,
        Self::Linkedin,
        Self::X,
        Self::Tiktok,
        Self::GoogleAds,
        Self::Email,
        Self::Sms,
        Self::Blog,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Facebook => "facebook",
            Self::Instagram => "instagram",
            Self::Linkedin => "linkedin",
            Self::X => "x",
            Self::Tiktok => "tiktok",
            Self::GoogleAds => "google_ads",
            Self::Email => "email",
            Self::Sms => "sms",
            Self::Blog => "blog",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s.trim().to_ascii_lowercase())
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Facebook => "Facebook",
            Self::Instagram => "Instagram",
            Self::Linkedin => "LinkedIn",
            Self::X => "X (Twitter)",
            Self::Tiktok => "TikTok",
            Self::GoogleAds => "Google Ads",
            Self::Email => "Email",
            Self::Sms => "SMS",
            Self::Blog => "Blog",
        }
    }

    /// Limits from each platform's published specifications (primary text / caption / post
    /// limits; Google responsive search ads: 90-character descriptions, 30-character headlines;
    /// SMS: one 160-character GSM segment).
    pub fn limits(self) -> ChannelLimits {
        let l = |max_chars, ideal_chars, max_headline_chars, max_hashtags, tone, emoji| ChannelLimits {
            max_chars,
            ideal_chars,
            max_headline_chars,
            max_hashtags,
            tone,
            emoji,
        };
        match self {
            Self::Facebook => l(63_206, 125, Some(40), 3, "friendly and conversational", true),
            Self::Instagram => l(2_200, 150, None, 30, "visual, upbeat and personal", true),
            Self::Linkedin => l(3_000, 200, Some(70), 5, "professional and insightful", false),
            Self::X => l(280, 100, None, 2, "punchy and direct", true),
            Self::Tiktok => l(2_200, 100, None, 5, "playful and trend-aware", true),
            Self::GoogleAds => l(90, 90, Some(30), 0, "clear and benefit-led", false),
            Self::Email => l(10_000, 600, Some(60), 0, "personal and helpful", false),
            Self::Sms => l(160, 140, None, 0, "brief and friendly", false),
            Self::Blog => l(20_000, 6_000, Some(70), 0, "informative and in depth", false),
        }
    }

    /// OmniFy cannot publish to any platform itself yet: content is exported or copied.
    pub fn can_publish(self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_platform_round_trips_through_its_name() {
        for p in ContentPlatform::ALL {
            assert_eq!(ContentPlatform::parse(p.as_str()), Some(p));
            assert_eq!(serde_json::to_string(&p).unwrap(), format!("\"{}\"", p.as_str()));
        }
        assert_eq!(ContentPlatform::parse("myspace"), None);
    }

    #[test]
    fn ideal_length_never_exceeds_the_hard_limit() {
        for p in ContentPlatform::ALL {
            let l = p.limits();
            assert!(l.ideal_chars <= l.max_chars, "{p:?}");
        }
    }
}
