//! Inviting teammates: an owner or admin invites an email with a role; the invitee accepts with
//! the one-time token and becomes a member.

use super::accounts::{duplicate_as_conflict, parse_role, start_session};
use super::audit::{self, Event, FAILURE, SUCCESS};
use super::{new_id, plans, validate, Actor, RequestMeta};
use crate::auth::{password, tokens};
use crate::db::invitations::{self, InvitationRow};
use crate::db::organizations as orgs;
use crate::db::users::{self, UserRow};
use crate::db::time;
use crate::model::{AcceptInvitationRequest, AuthSession, CreateInvitationRequest, InvitationCreated, InvitationDto, Role};
use crate::{ApiError, Core};

pub async fn create(
    core: &Core,
    meta: &RequestMeta,
    actor: &Actor,
    req: CreateInvitationRequest,
) -> Result<InvitationCreated, ApiError> {
    let denied = actor.require_admin("invite members").and_then(|_| {
        if req.role == Role::Owner && actor.role != Role::Owner {
            Err(ApiError::forbidden("Only an owner can invite another owner"))
        } else {
            Ok(())
        }
    });
    if let Err(e) = denied {
        audit::record_denied(core, meta, actor, "invitation.create", None).await;
        return Err(e);
    }
    let email = validate::email(&req.email)?;
    if users::find_by_email(&core.db.pool, &email).await?.is_some() {
        return Err(ApiError::conflict("A user with this email already has an account").with_field("email"));
    }
    let now = time::now();
    let org = orgs::find(&core.db.pool, &actor.organization_id).await?.ok_or_else(|| ApiError::not_found("Organization"))?;
    let token = tokens::opaque_token();
    let row = InvitationRow {
        id: new_id(),
        organization_id: org.id.clone(),
        email,
        role: req.role.as_str().to_string(),
        token_hash: tokens::digest(&token),
        invited_by: Some(actor.user_id.clone()),
        created_at: now,
        expires_at: now + core.settings.invitation_ttl_seconds,
        accepted_at: None,
        revoked_at: None,
    };
    let mut tx = core.db.pool.begin().await?;
    // Under the organization's lock, so concurrent invitations cannot overfill the plan's seats.
    orgs::lock(&mut *tx, &org.id).await?;
    let pending = invitations::list_pending(&mut *tx, &org.id, now).await?;
    if pending.iter().any(|i| i.email == row.email) {
        return Err(ApiError::conflict("This email already has a pending invitation").with_field("email"));
    }
    if let Some(seats) = plans::seat_limit(&org.subscription_tier) {
        let used = users::count(&mut *tx, &org.id).await? + pending.len() as i64;
        if used >= seats {
            return Err(ApiError::bad_request(format!(
                "Your {} plan allows {seats} seats (members plus pending invitations), and all are in use",
                org.subscription_tier
            )));
        }
    }
    invitations::insert(&mut *tx, &row).await?;
    audit::record(
        &mut *tx,
        meta,
        Event {
            organization_id: &org.id,
            user_id: Some(&actor.user_id),
            action: "invitation.create",
            target: Some(("invitation", &row.id)),
            outcome: SUCCESS,
            details: serde_json::json!({ "email": row.email, "role": req.role }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(InvitationCreated {
        invitation_id: row.id,
        token,
        email: row.email,
        role: req.role,
        expires_at: time::rfc3339(row.expires_at),
    })
}

pub async fn list_pending(core: &Core, actor: &Actor) -> Result<Vec<InvitationDto>, ApiError> {
    actor.require_admin("see invitations")?;
    invitations::list_pending(&core.db.pool, &actor.organization_id, time::now())
        .await?
        .into_iter()
        .map(|i| {
            Ok(InvitationDto {
                role: parse_role(&i.role)?,
                invitation_id: i.id,
                email: i.email,
                invited_by: i.invited_by,
                created_at: time::rfc3339(i.created_at),
                expires_at: time::rfc3339(i.expires_at),
            })
        })
        .collect()
}

pub async fn revoke(core: &Core, meta: &RequestMeta, actor: &Actor, invitation_id: &str) -> Result<(), ApiError> {
    if let Err(e) = actor.require_admin("revoke invitations") {
        audit::record_denied(core, meta, actor, "invitation.revoke", Some(("invitation", invitation_id))).await;
        return Err(e);
    }
    let mut tx = core.db.pool.begin().await?;
    if invitations::revoke(&mut *tx, &actor.organization_id, invitation_id, time::now()).await? == 0 {
        return Err(ApiError::not_found("Invitation"));
    }
    audit::record(
        &mut *tx,
        meta,
        Event {
            organization_id: &actor.organization_id,
            user_id: Some(&actor.user_id),
            action: "invitation.revoke",
            target: Some(("invitation", invitation_id)),
            outcome: SUCCESS,
            details: serde_json::Value::Null,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn accept(core: &Core, meta: &RequestMeta, req: AcceptInvitationRequest) -> Result<AuthSession, ApiError> {
    validate::password(&req.password)?;
    let full_name = validate::name("full_name", &req.full_name)?;
    let now = time::now();
    let invitation = invitations::find_by_hash(&core.db.pool, &tokens::digest(req.token.trim()))
        .await?
        .filter(|i| i.revoked_at.is_none())
        .ok_or_else(|| ApiError::not_found("Invitation"))?;
    let refusal = if invitation.accepted_at.is_some() {
        Some(("already_used", "This invitation has already been used"))
    } else if invitation.expires_at <= now {
        Some(("expired", "This invitation has expired; ask for a new one"))
    } else {
        None
    };
    if let Some((reason, message)) = refusal {
        // The organization learns that someone tried a dead invitation of theirs.
        audit::record(
            &core.db.pool,
            meta,
            Event {
                organization_id: &invitation.organization_id,
                user_id: None,
                action: "invitation.accept",
                target: Some(("invitation", &invitation.id)),
                outcome: FAILURE,
                details: serde_json::json!({ "email": invitation.email, "reason": reason }),
            },
        )
        .await?;
        return Err(ApiError::bad_request(message));
    }
    let org = orgs::find(&core.db.pool, &invitation.organization_id).await?.ok_or_else(|| ApiError::not_found("Invitation"))?;
    let user = UserRow {
        id: new_id(),
        organization_id: org.id.clone(),
        email: invitation.email.clone(),
        full_name,
        password_hash: password::hash(&req.password).await?,
        role: invitation.role.clone(),
        created_at: now,
        updated_at: now,
        last_login_at: Some(now),
    };
    let mut tx = core.db.pool.begin().await?;
    if !invitations::mark_accepted(&mut *tx, &invitation.id, now).await? {
        return Err(ApiError::bad_request("This invitation has already been used"));
    }
    users::insert(&mut *tx, &user).await.map_err(duplicate_as_conflict)?;
    let session = start_session(core, &mut tx, &user, &org, None).await?;
    audit::record(
        &mut *tx,
        meta,
        Event {
            organization_id: &org.id,
            user_id: Some(&user.id),
            action: "invitation.accept",
            target: Some(("invitation", &invitation.id)),
            outcome: SUCCESS,
            details: serde_json::json!({ "email": user.email, "role": user.role }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(session)
}
