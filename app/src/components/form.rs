//! Form fields with labels, inline errors and accessible state.

use leptos::prelude::*;

use crate::error::AppError;

/// A labelled input. Shows the server's error inline when its `field` is this input's name.
#[component]
pub fn TextField(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional)] minlength: Option<u32>,
    #[prop(optional, into)] value: Option<String>,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    let field_error = Memo::new(move |_| {
        error.get().filter(|e| e.field() == Some(name)).map(|e| e.message().to_string())
    });
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let describedby = {
        let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if field_error.get().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="space-y-1">
            <label for=id class="block text-sm font-medium text-slate-700">
                {label}
            </label>
            <input
                id=id
                name=name
                type=kind
                autocomplete=autocomplete
                required=required
                minlength=minlength
                value=value
                aria-invalid=move || if field_error.get().is_some() { "true" } else { "false" }
                aria-describedby=describedby
                class="input"
            />
            {hint.map(|h| view! { <p id=hint_id class="text-xs text-slate-500">{h}</p> })}
            {move || {
                field_error
                    .get()
                    .map(|msg| {
                        view! {
                            <p id=error_id.clone() class="text-sm text-red-700" data-testid=format!("{name}-error")>
                                {msg}
                            </p>
                        }
                    })
            }}
        </div>
    }
}

/// A role picker (`<select name=name>`), labelled.
#[component]
pub fn RoleSelect(
    id: String,
    name: &'static str,
    #[prop(into)] label: String,
    selected: omnify::model::Role,
    /// Visually hide the label (still read by screen readers).
    #[prop(optional)]
    hide_label: bool,
) -> impl IntoView {
    use omnify::model::Role;
    let label_class = if hide_label { "sr-only" } else { "block text-sm font-medium text-slate-700" };
    view! {
        <label for=id.clone() class=label_class>
            {label}
        </label>
        <select id=id name=name class="input w-auto">
            {Role::ALL
                .into_iter()
                .map(|r| {
                    view! {
                        <option value=r.as_str() selected=r == selected>
                            {role_label(r)}
                        </option>
                    }
                })
                .collect_view()}
        </select>
    }
}

pub fn role_label(role: omnify::model::Role) -> &'static str {
    use omnify::model::Role;
    match role {
        Role::Owner => "Owner",
        Role::Admin => "Admin",
        Role::Manager => "Manager",
        Role::Member => "Member",
        Role::Viewer => "Viewer",
    }
}

/// The error of the latest run of an action, as a signal.
pub fn action_error<S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let value = action.value();
    Signal::derive(move || value.get().and_then(|r| r.err()))
}
