//! Sign-up, log-in, token refresh and log-out; the signed-in user's own profile.

use sqlx::AnyConnection;

use super::audit::{self, Event, FAILURE, SUCCESS};
use super::organizations::to_dto as org_dto;
use super::{new_id, plans, validate, Actor, RequestMeta};
use crate::auth::{password, tokens};
use crate::db::organizations::{self as orgs, OrganizationRow};
use crate::db::refresh_tokens::{self, RefreshTokenRow};
use crate::db::users::{self, UserRow};
use crate::db::{is_unique_violation, time};
use crate::model::{
    AuthSession, LoginRequest, RegisterRequest, Role, UpdateMeRequest, UserDto, VerifyResponse, Viewer,
};
use crate::{ApiError, Core};

const BAD_CREDENTIALS: &str = "Invalid email or password";
const BAD_REFRESH: &str = "Invalid or expired refresh token";

pub async fn register(core: &Core, meta: &RequestMeta, req: RegisterRequest) -> Result<AuthSession, ApiError> {
    let email = validate::email(&req.email)?;
    validate::password(&req.password)?;
    let full_name = validate::name("full_name", &req.full_name)?;
    let org_name = validate::name("organization_name", &req.organization_name)?;
    if users::find_by_email(&core.db.pool, &email).await?.is_some() {
        return Err(ApiError::conflict("An account with this email already exists").with_field("email"));
    }
    let password_hash = password::hash(&req.password).await?;
    let now = time::now();
    let org = OrganizationRow {
        id: new_id(),
        slug: free_slug(core, &org_name).await?,
        name: org_name,
        subscription_tier: plans::DEFAULT_TIER.to_string(),
        settings: "{}".to_string(),
        created_at: now,
        updated_at: now,
    };
    let user = UserRow {
        id: new_id(),
        organization_id: org.id.clone(),
        email,
        full_name,
        password_hash,
        role: Role::Owner.as_str().to_string(),
        created_at: now,
        updated_at: now,
        last_login_at: Some(now),
    };

    let mut tx = core.db.pool.begin().await?;
    orgs::insert(&mut *tx, &org).await?;
    users::insert(&mut *tx, &user).await.map_err(duplicate_as_conflict)?;
    let session = start_session(core, &mut tx, &user, &org, None).await?;
    audit::record(
        &mut *tx,
        meta,
        Event {
            organization_id: &org.id,
            user_id: Some(&user.id),
            action: "auth.register",
            target: Some(("user", &user.id)),
            outcome: SUCCESS,
            details: serde_json::json!({ "email": user.email }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(session)
}

pub async fn login(core: &Core, meta: &RequestMeta, req: LoginRequest) -> Result<AuthSession, ApiError> {
    let email = req.email.trim().to_lowercase();
    let Some(user) = users::find_by_email(&core.db.pool, &email).await? else {
        // Same work and the same answer as a wrong password: no account enumeration.
        password::verify(&req.password, password::dummy_hash()).await;
        return Err(ApiError::unauthenticated(BAD_CREDENTIALS));
    };
    if !password::verify(&req.password, &user.password_hash).await {
        let event = Event {
            organization_id: &user.organization_id,
            user_id: Some(&user.id),
            action: "auth.login",
            target: Some(("user", &user.id)),
            outcome: FAILURE,
            details: serde_json::json!({ "reason": "wrong_password" }),
        };
        audit::record(&core.db.pool, meta, event).await?;
        return Err(ApiError::unauthenticated(BAD_CREDENTIALS));
    }
    let org = load_org(core, &user.organization_id).await?;
    let now = time::now();
    let mut tx = core.db.pool.begin().await?;
    users::touch_login(&mut *tx, &user.id, now).await?;
    let session = start_session(core, &mut tx, &user, &org, None).await?;
    audit::record(
        &mut *tx,
        meta,
        Event {
            organization_id: &org.id,
            user_id: Some(&user.id),
            action: "auth.login",
            target: Some(("user", &user.id)),
            outcome: SUCCESS,
            details: serde_json::Value::Null,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(session)
}

/// Rotates a refresh token. Presenting a token that was already rotated means it leaked or was
/// replayed, so the whole login (token family) is revoked.
pub async fn refresh(core: &Core, meta: &RequestMeta, refresh_token: &str) -> Result<AuthSession, ApiError> {
    let now = time::now();
    let Some(token) = refresh_tokens::find_by_hash(&core.db.pool, &tokens::digest(refresh_token)).await? else {
        return Err(ApiError::unauthenticated(BAD_REFRESH));
    };
    if token.revoked_at.is_some() || token.expires_at <= now {
        return Err(ApiError::unauthenticated(BAD_REFRESH));
    }
    let mut tx = core.db.pool.begin().await?;
    if token.rotated_at.is_some() || !refresh_tokens::mark_rotated(&mut *tx, &token.id, now).await? {
        refresh_tokens::revoke_family(&mut *tx, &token.family_id, now).await?;
        audit::record(
            &mut *tx,
            meta,
            Event {
                organization_id: &token.organization_id,
                user_id: Some(&token.user_id),
                action: "auth.refresh_reuse",
                target: Some(("user", &token.user_id)),
                outcome: FAILURE,
                details: serde_json::json!({ "revoked_family": token.family_id }),
            },
        )
        .await?;
        tx.commit().await?;
        return Err(ApiError::unauthenticated(BAD_REFRESH));
    }
    let user = users::find(&mut *tx, &token.organization_id, &token.user_id)
        .await?
        .ok_or_else(|| ApiError::unauthenticated(BAD_REFRESH))?;
    let org = orgs::find(&mut *tx, &token.organization_id)
        .await?
        .ok_or_else(|| ApiError::unauthenticated(BAD_REFRESH))?;
    let session = start_session(core, &mut tx, &user, &org, Some(&token.family_id)).await?;
    audit::record(
        &mut *tx,
        meta,
        Event {
            organization_id: &org.id,
            user_id: Some(&user.id),
            action: "auth.refresh",
            target: Some(("user", &user.id)),
            outcome: SUCCESS,
            details: serde_json::json!({ "family": token.family_id }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(session)
}

/// Revokes the login the refresh token belongs to. Signing out with an unknown or foreign token
/// is not an error: the caller ends up signed out either way.
pub async fn logout(
    core: &Core,
    meta: &RequestMeta,
    actor: Option<&Actor>,
    refresh_token: Option<&str>,
) -> Result<(), ApiError> {
    let now = time::now();
    let token = match refresh_token {
        Some(t) => refresh_tokens::find_by_hash(&core.db.pool, &tokens::digest(t)).await?,
        None => None,
    };
    // Only the token's owner may end that login.
    let token = token.filter(|t| actor.is_none_or(|a| a.user_id == t.user_id));
    let (org_id, user_id) = match (&token, actor) {
        (Some(t), _) => (t.organization_id.clone(), t.user_id.clone()),
        (None, Some(a)) => (a.organization_id.clone(), a.user_id.clone()),
        (None, None) => return Ok(()),
    };
    let mut tx = core.db.pool.begin().await?;
    if let Some(t) = &token {
        refresh_tokens::revoke_family(&mut *tx, &t.family_id, now).await?;
    }
    audit::record(
        &mut *tx,
        meta,
        Event {
            organization_id: &org_id,
            user_id: Some(&user_id),
            action: "auth.logout",
            target: Some(("user", &user_id)),
            outcome: SUCCESS,
            details: serde_json::Value::Null,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Verifies an access token and loads the caller as they are now (role, membership).
pub async fn authenticate(core: &Core, access_token: &str) -> Result<Actor, ApiError> {
    let claims = tokens::verify_access(&core.settings.jwt_secret, access_token)?;
    let user = users::find(&core.db.pool, &claims.org, &claims.sub)
        .await?
        .ok_or_else(|| ApiError::unauthenticated("This account no longer exists"))?;
    Ok(Actor {
        user_id: user.id,
        organization_id: user.organization_id,
        role: parse_role(&user.role)?,
        email: user.email,
    })
}

pub async fn me(core: &Core, actor: &Actor) -> Result<UserDto, ApiError> {
    let user = load_user(core, actor).await?;
    to_dto(user)
}

pub fn verify(actor: &Actor) -> VerifyResponse {
    VerifyResponse {
        valid: true,
        user_id: actor.user_id.clone(),
        organization_id: actor.organization_id.clone(),
        role: actor.role,
    }
}

/// The signed-in user and their organization, for the app shell.
pub async fn viewer(core: &Core, actor: &Actor) -> Result<Viewer, ApiError> {
    let user = to_dto(load_user(core, actor).await?)?;
    let organization = org_dto(load_org(core, &actor.organization_id).await?);
    Ok(Viewer { user, organization })
}

pub async fn update_me(core: &Core, meta: &RequestMeta, actor: &Actor, req: UpdateMeRequest) -> Result<UserDto, ApiError> {
    if req.full_name.is_none() && req.password.is_none() {
        return Err(ApiError::validation("full_name", "Nothing to update: give full_name or password"));
    }
    let user = load_user(core, actor).await?;
    let full_name = match &req.full_name {
        Some(n) => validate::name("full_name", n)?,
        None => user.full_name.clone(),
    };
    let password_hash = match &req.password {
        Some(new_password) => {
            validate::password(new_password)?;
            let current = req.current_password.as_deref().unwrap_or_default();
            if !password::verify(current, &user.password_hash).await {
                return Err(ApiError::validation("current_password", "Current password is incorrect"));
            }
            password::hash(new_password).await?
        }
        None => user.password_hash.clone(),
    };
    let now = time::now();
    let mut tx = core.db.pool.begin().await?;
    users::update_profile(&mut *tx, &actor.organization_id, &actor.user_id, &full_name, &password_hash, now).await?;
    if req.password.is_some() {
        // A new password ends every other login of this user.
        refresh_tokens::revoke_all_for_user(&mut *tx, &actor.organization_id, &actor.user_id, now).await?;
    }
    let action = if req.password.is_some() { "user.change_password" } else { "user.update_profile" };
    audit::record(
        &mut *tx,
        meta,
        Event {
            organization_id: &actor.organization_id,
            user_id: Some(&actor.user_id),
            action,
            target: Some(("user", &actor.user_id)),
            outcome: SUCCESS,
            details: serde_json::json!({ "full_name_changed": req.full_name.is_some() }),
        },
    )
    .await?;
    tx.commit().await?;
    to_dto(UserRow { full_name, password_hash, updated_at: now, ..user })
}

/// Issues an access token and a new refresh token (in `family`, or a new login).
pub(crate) async fn start_session(
    core: &Core,
    conn: &mut AnyConnection,
    user: &UserRow,
    org: &OrganizationRow,
    family: Option<&str>,
) -> Result<AuthSession, ApiError> {
    let s = &core.settings;
    let now = time::now();
    let role = parse_role(&user.role)?;
    let refresh = tokens::opaque_token();
    refresh_tokens::insert(
        &mut *conn,
        &RefreshTokenRow {
            id: new_id(),
            organization_id: org.id.clone(),
            user_id: user.id.clone(),
            family_id: family.map(str::to_string).unwrap_or_else(new_id),
            token_hash: tokens::digest(&refresh),
            created_at: now,
            expires_at: now + s.refresh_token_ttl_seconds,
            rotated_at: None,
            revoked_at: None,
        },
    )
    .await?;
    Ok(AuthSession {
        access_token: tokens::issue_access(&s.jwt_secret, &user.id, &org.id, role, now, s.access_token_ttl_seconds)?,
        token_type: "bearer".to_string(),
        expires_in: s.access_token_ttl_seconds,
        refresh_token: refresh,
        refresh_expires_in: s.refresh_token_ttl_seconds,
        user: to_dto(user.clone())?,
        organization: org_dto(org.clone()),
    })
}

pub(crate) fn to_dto(u: UserRow) -> Result<UserDto, ApiError> {
    Ok(UserDto {
        role: parse_role(&u.role)?,
        user_id: u.id,
        email: u.email,
        full_name: u.full_name,
        organization_id: u.organization_id,
    })
}

pub(crate) fn parse_role(s: &str) -> Result<Role, ApiError> {
    Role::parse(s).ok_or_else(|| {
        tracing::error!(role = s, "unknown role stored in the database");
        ApiError::internal()
    })
}

/// A unique email that slipped past the pre-check (a concurrent sign-up) is still a 409.
pub(crate) fn duplicate_as_conflict(e: sqlx::Error) -> ApiError {
    if is_unique_violation(&e) {
        ApiError::conflict("An account with this email already exists").with_field("email")
    } else {
        e.into()
    }
}

async fn load_user(core: &Core, actor: &Actor) -> Result<UserRow, ApiError> {
    users::find(&core.db.pool, &actor.organization_id, &actor.user_id)
        .await?
        .ok_or_else(|| ApiError::unauthenticated("This account no longer exists"))
}

async fn load_org(core: &Core, organization_id: &str) -> Result<OrganizationRow, ApiError> {
    orgs::find(&core.db.pool, organization_id).await?.ok_or_else(|| ApiError::not_found("Organization"))
}

/// The name's slug, or the first of slug-2, slug-3, … that is free.
async fn free_slug(core: &Core, name: &str) -> Result<String, ApiError> {
    let base = validate::slugify(name);
    for n in 1..50 {
        let candidate = if n == 1 { base.clone() } else { format!("{base}-{n}") };
        if !orgs::slug_taken(&core.db.pool, &candidate).await? {
            return Ok(candidate);
        }
    }
    Ok(format!("{base}-{}", &new_id()[24..]))
}
