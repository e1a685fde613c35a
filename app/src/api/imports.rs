//! Imports from the UI: preview a file's start, announce the upload (the browser then streams
//! the file to `POST /api/ingest/{kind}`), follow its progress, list recent imports.

use leptos::prelude::*;
use omnify::model::{ImportDto, ImportPreview};

use crate::error::AppError;

/// The UI sends at most this much of a file's start for the preview.
pub const PREVIEW_SAMPLE_BYTES: usize = 64 * 1024;

#[cfg(feature = "ssr")]
fn parse_kind_format(kind: &str, format: &str) -> Result<(omnify::model::ImportKind, omnify::model::ImportFormat), omnify::ApiError> {
    use omnify::model::{ImportFormat, ImportKind};
    use omnify::ApiError;
    let kind = ImportKind::parse(kind).ok_or_else(|| ApiError::validation("kind", "Choose what the file holds"))?;
    let format = ImportFormat::parse(format).ok_or_else(|| ApiError::validation("format", "The file must be CSV or NDJSON"))?;
    Ok((kind, format))
}

#[server(prefix = "/fn", endpoint = "preview_import")]
pub async fn preview_import(kind: String, format: String, sample: String) -> Result<ImportPreview, AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let (kind, format) = parse_kind_format(&kind, &format)?;
        let ctx = Ctx::load()?;
        ctx.actor().await?;
        let sample: String = sample.chars().take(PREVIEW_SAMPLE_BYTES).collect();
        Ok(omnify::ingest::preview::preview(kind, format, &sample))
    })
    .await
}

/// `mapping` is a JSON object of field → column.
#[server(prefix = "/fn", endpoint = "create_import")]
pub async fn create_import(kind: String, format: String, file_name: String, mapping: String) -> Result<ImportDto, AppError> {
    use crate::server::session::{run, Ctx};
    use omnify::model::CreateImportRequest;
    use omnify::ApiError;
    run(async move {
        let (kind, format) = parse_kind_format(&kind, &format)?;
        let mapping = serde_json::from_str(&mapping).map_err(|_| ApiError::validation("mapping", "Invalid column mapping"))?;
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        let req = CreateImportRequest { kind, format, file_name: Some(file_name), mapping };
        omnify::services::imports::create(&ctx.core, &actor, req).await
    })
    .await
}

#[server(prefix = "/fn", endpoint = "get_import")]
pub async fn get_import(import_id: String) -> Result<ImportDto, AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        omnify::services::imports::get(&ctx.core, &actor, &import_id).await
    })
    .await
}

#[server(prefix = "/fn", endpoint = "list_imports")]
pub async fn list_imports() -> Result<Vec<ImportDto>, AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        omnify::services::imports::list(&ctx.core, &actor).await
    })
    .await
}
