//! Built-in copy review: the deterministic analysis's own recommendations, and a rewrite that
//! applies only the fixes a rule can make without inventing anything — the brand's banned
//! words out, a call to action when there is none, and the length the platform reads best.

use crate::ai::tasks::{ReviewAnswer, ReviewFacts, Rewrite};
use crate::brain::creative::{self, BrandGuidelines, CreativeInput};
use crate::brain::text;

pub(super) fn review(f: &ReviewFacts) -> ReviewAnswer {
    let limits = f.platform.limits();
    let rules = BrandGuidelines { banned_words: f.business.avoid.clone(), required_tone: f.business.tone.clone(), voice: f.business.voice.clone() };
    let mut body = super::without_avoided(f.body.trim(), &f.business.avoid);
    let analysis = creative::analyze(&CreativeInput { headline: f.headline.clone(), body: body.clone(), cta: f.cta.clone(), platform: f.platform }, Some(&rules));
    let has_cta = analysis.signals.iter().any(|s| s.key == "call_to_action" && s.found);
    let cta = f.cta.clone().filter(|c| !c.trim().is_empty()).unwrap_or_else(|| "Learn more".into());
    let cta_text = format!(" {}.", cta.trim().trim_end_matches('.'));
    // Keep room for the call to action within the platform's best length (never past its limit).
    let room = limits.ideal_chars.max(limits.max_chars.min(280)).min(limits.max_chars);
    let budget = if has_cta { room } else { room.saturating_sub(text::char_count(&cta_text)) };
    if text::char_count(&body) > budget {
        body = text::truncate_words(&body, budget.max(1));
    }
    if !has_cta {
        body.push_str(&cta_text);
    }
    let headline = limits.max_headline_chars.map(|max| {
        let source = f.headline.clone().filter(|h| !h.trim().is_empty()).unwrap_or_else(|| text::sentences(&body).first().map(|s| s.to_string()).unwrap_or_default());
        text::truncate_words(super::without_avoided(&source, &f.business.avoid).trim(), max)
    });
    let mut recommendations: Vec<String> = analysis.recommendations.iter().take(5).cloned().collect();
    if recommendations.is_empty() {
        recommendations.push("The copy covers attention, interest, desire and action; test it against a variant with a different hook.".into());
    }
    ReviewAnswer { recommendations, rewrite: Rewrite { headline: headline.filter(|h| !h.is_empty()), body } }
}

#[cfg(test)]
mod tests {
    use crate::ai::schema::Schema;
    use crate::ai::tasks::{AiTask, BusinessContext, ReviewAnswer, ReviewFacts};
    use crate::brain::channels::ContentPlatform;

    fn task(body: &str, platform: ContentPlatform) -> AiTask {
        AiTask::CreativeReview(ReviewFacts {
            business: BusinessContext { name: "Bean There".into(), avoid: vec!["cheap".into()], ..Default::default() },
            platform,
            headline: None,
            body: body.into(),
            cta: None,
            scores: [20, 20, 20, 10],
            weaknesses: vec![],
            recommendations: vec![],
        })
    }

    #[test]
    fn the_rewrite_adds_a_call_to_action_drops_banned_words_and_fits() {
        for platform in ContentPlatform::ALL {
            let t = task(&"Our cheap coffee is roasted every morning in small batches. ".repeat(12), platform);
            let answer = crate::ai::builtin::answer(&t);
            Schema::new(&t.schema()).unwrap().validate(&answer).unwrap_or_else(|e| panic!("{platform:?}: {e:?}"));
            let review: ReviewAnswer = serde_json::from_value(answer).unwrap();
            assert!(!review.rewrite.body.to_lowercase().contains("cheap"), "{}", review.rewrite.body);
            assert!(review.rewrite.body.ends_with("Learn more."), "{platform:?}: {}", review.rewrite.body);
            assert!(!review.recommendations.is_empty());
        }
    }

    #[test]
    fn copy_with_a_call_to_action_keeps_it() {
        let t = task("Fresh beans every week. Order today.", ContentPlatform::Instagram);
        let review: ReviewAnswer = serde_json::from_value(crate::ai::builtin::answer(&t)).unwrap();
        assert_eq!(review.rewrite.body, "Fresh beans every week. Order today.");
    }
}
