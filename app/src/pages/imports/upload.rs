//! The browser side of an import: picking or dropping a file, reading its start for the
//! preview, then announcing the import, streaming the file to the API and polling progress.

use std::collections::BTreeMap;

use leptos::prelude::*;
use omnify::model::ImportKind;

use super::Stage;

/// The chosen file and everything the page derives from it. Copy, so handlers can share it.
#[derive(Clone, Copy)]
pub struct FilePicker {
    kind: RwSignal<ImportKind>,
    file_name: RwSignal<String>,
    stage: RwSignal<Stage>,
    mapping: RwSignal<BTreeMap<String, String>>,
    file: RwSignal<Option<leptos::web_sys::File>, LocalStorage>,
    /// The start of the file, as sent for the preview.
    sample: RwSignal<String>,
}

impl FilePicker {
    pub fn new(
        kind: RwSignal<ImportKind>,
        file_name: RwSignal<String>,
        stage: RwSignal<Stage>,
        mapping: RwSignal<BTreeMap<String, String>>,
    ) -> Self {
        Self { kind, file_name, stage, mapping, file: RwSignal::new_local(None), sample: RwSignal::new(String::new()) }
    }

    fn format(&self) -> Option<&'static str> {
        let name = self.file_name.get_untracked().to_ascii_lowercase();
        if name.ends_with(".csv") {
            Some("csv")
        } else if name.ends_with(".ndjson") || name.ends_with(".jsonl") || name.ends_with(".json") {
            Some("ndjson")
        } else {
            None
        }
    }

    pub fn choose(&self, file: leptos::web_sys::File) {
        self.file_name.set(file.name());
        self.file.set(Some(file));
        if self.format().is_none() {
            self.stage.set(Stage::Failed("Choose a .csv, .ndjson or .jsonl file.".into()));
            return;
        }
        #[cfg(feature = "hydrate")]
        {
            let this = *self;
            leptos::task::spawn_local(async move {
                this.stage.try_set(Stage::Previewing);
                match browser::read_sample(&this).await {
                    Ok(sample) => {
                        this.sample.try_set(sample);
                        this.refresh_preview();
                    }
                    Err(message) => {
                        this.stage.try_set(Stage::Failed(message));
                    }
                }
            });
        }
    }

    /// Re-reads the preview (after the file or the kind changed).
    pub fn refresh_preview(&self) {
        if self.sample.get_untracked().is_empty() {
            return;
        }
        let (Some(format), this) = (self.format(), *self) else { return };
        leptos::task::spawn_local(async move {
            let kind = this.kind.get_untracked();
            match crate::api::imports::preview_import(kind.as_str().into(), format.into(), this.sample.get_untracked()).await {
                Ok(p) => {
                    this.mapping.try_set(p.suggested.clone());
                    this.stage.try_set(Stage::Ready(p));
                }
                Err(e) => {
                    this.stage.try_set(Stage::Failed(super::error_text(&e)));
                }
            }
        });
    }

    /// Announces the import, streams the file and follows the progress until it ends.
    pub fn start(&self) {
        #[cfg(feature = "hydrate")]
        {
            let this = *self;
            leptos::task::spawn_local(async move { browser::upload(this).await });
        }
    }
}

/// The drop target; also a keyboard-usable file input.
#[component]
pub fn DropZone(picker: FilePicker, file_name: RwSignal<String>) -> impl IntoView {
    let hovering = RwSignal::new(false);
    view! {
        <div
            data-testid="drop-zone"
            class=move || {
                if hovering.get() {
                    "rounded-lg border-2 border-dashed border-indigo-400 bg-indigo-50 p-6 text-center"
                } else {
                    "rounded-lg border-2 border-dashed border-slate-300 bg-white p-6 text-center"
                }
            }
            on:dragover=move |ev: leptos::web_sys::DragEvent| {
                ev.prevent_default();
                hovering.set(true);
            }
            on:dragleave=move |_| hovering.set(false)
            on:drop=move |ev: leptos::web_sys::DragEvent| {
                ev.prevent_default();
                hovering.set(false);
                if let Some(file) = ev.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)) {
                    picker.choose(file);
                }
            }
        >
            <label for="import-file" class="cursor-pointer text-sm text-slate-700">
                <span class="font-medium text-indigo-700 underline">"Choose a file"</span>
                " or drop it here (CSV or NDJSON, any size)"
            </label>
            <input
                id="import-file"
                type="file"
                accept=".csv,.ndjson,.jsonl,.json,text/csv,application/x-ndjson"
                class="sr-only"
                data-testid="import-file"
                on:change=move |ev| {
                    let input: leptos::web_sys::HtmlInputElement = event_target(&ev);
                    if let Some(file) = input.files().and_then(|f| f.get(0)) {
                        picker.choose(file);
                    }
                }
            />
            {move || {
                let name = file_name.get();
                (!name.is_empty()).then(|| view! { <p class="mt-2 text-sm font-medium text-slate-900" data-testid="chosen-file">{name}</p> })
            }}
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::*;
    use leptos::wasm_bindgen::{JsCast, JsValue};
    use omnify::model::{ApiError, ImportDto};
    use wasm_bindgen_futures::JsFuture;

    use super::{FilePicker, Stage};
    use crate::api::imports::{create_import, get_import, PREVIEW_SAMPLE_BYTES};

    fn js_error(what: &str, e: JsValue) -> String {
        format!("{what}: {}", e.as_string().unwrap_or_else(|| format!("{e:?}")))
    }

    pub async fn read_sample(picker: &FilePicker) -> Result<String, String> {
        let file = picker.file.get_untracked().ok_or("No file chosen")?;
        let blob = file.slice_with_i32_and_i32(0, PREVIEW_SAMPLE_BYTES as i32).map_err(|e| js_error("Cannot read the file", e))?;
        let text = JsFuture::from(blob.text()).await.map_err(|e| js_error("Cannot read the file", e))?;
        Ok(text.as_string().unwrap_or_default())
    }

    pub async fn upload(picker: FilePicker) {
        let Some(file) = picker.file.get_untracked() else { return };
        let Some(format) = picker.format() else { return };
        let Stage::Ready(preview) = picker.stage.get_untracked() else { return };
        let kind = picker.kind.get_untracked();
        let mapping = serde_json::to_string(&picker.mapping.get_untracked()).unwrap_or_else(|_| "{}".into());
        let created = match create_import(kind.as_str().into(), format.into(), file.name(), mapping).await {
            Ok(dto) => dto,
            Err(e) => {
                picker.stage.try_set(Stage::Failed(super::super::error_text(&e)));
                return;
            }
        };
        let estimated_rows = (preview.lines_per_byte * file.size()).round() as i64;
        let import_id = created.import_id.clone();
        picker.stage.try_set(Stage::Uploading { import_id: import_id.clone(), rows: 0, rate: 0.0, estimated_rows });
        leptos::task::spawn_local(poll(picker, import_id.clone(), estimated_rows));

        let url = format!("/api/ingest/{}?import_id={}&format={format}", kind.as_str(), import_id);
        let outcome = send(&url, &file, format).await;
        // try_set: the user may have left the page while the file was uploading.
        picker.stage.try_set(match outcome {
            Ok(dto) => Stage::Done(dto),
            Err(message) => Stage::Failed(message),
        });
    }

    /// POSTs the File itself: the browser streams it from disk.
    async fn send(url: &str, file: &leptos::web_sys::File, format: &str) -> Result<ImportDto, String> {
        let init = leptos::web_sys::RequestInit::new();
        init.set_method("POST");
        init.set_body(file.as_ref());
        let headers = leptos::web_sys::Headers::new().map_err(|e| js_error("Upload failed", e))?;
        let content_type = if format == "csv" { "text/csv" } else { "application/x-ndjson" };
        headers.set("content-type", content_type).map_err(|e| js_error("Upload failed", e))?;
        init.set_headers(headers.as_ref());
        let window = leptos::web_sys::window().ok_or("No browser window")?;
        let response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
            .await
            .map_err(|e| js_error("The upload was interrupted", e))?;
        let response: leptos::web_sys::Response = response.dyn_into().map_err(|e| js_error("Upload failed", e))?;
        let text = JsFuture::from(response.text().map_err(|e| js_error("Upload failed", e))?)
            .await
            .map_err(|e| js_error("Upload failed", e))?
            .as_string()
            .unwrap_or_default();
        if response.ok() {
            serde_json::from_str(&text).map_err(|_| "The server's answer was not understood".to_string())
        } else {
            let error: Option<ApiError> = serde_json::from_str(&text).ok();
            Err(error.map(|e| e.message).unwrap_or_else(|| format!("The upload failed (HTTP {})", response.status())))
        }
    }

    /// Follows the import while it runs: rows so far and the rate over the last interval.
    async fn poll(picker: FilePicker, import_id: String, estimated_rows: i64) {
        let mut last: Option<(f64, i64)> = None;
        loop {
            gloo_timers::future::TimeoutFuture::new(500).await;
            // Stops when the upload ends or the page is gone (its signals disposed).
            if !matches!(picker.stage.try_get_untracked(), Some(Stage::Uploading { .. })) {
                return;
            }
            let Ok(dto) = get_import(import_id.clone()).await else { continue };
            let now = js_sys_now();
            let rate = match last {
                Some((t, rows)) if now > t => (dto.rows_read - rows) as f64 / ((now - t) / 1000.0),
                _ => 0.0,
            };
            last = Some((now, dto.rows_read));
            if matches!(picker.stage.try_get_untracked(), Some(Stage::Uploading { .. })) {
                picker.stage.try_set(Stage::Uploading { import_id: import_id.clone(), rows: dto.rows_read, rate, estimated_rows });
            }
        }
    }

    fn js_sys_now() -> f64 {
        leptos::web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or_default()
    }
}
