//! The people in an organization and their roles.

use super::audit::{self, Event, SUCCESS};
use super::{Actor, RequestMeta};
use crate::db::users::{self, UserRow};
use crate::db::{organizations, refresh_tokens, time};
use crate::model::{MemberDto, Role};
use crate::{ApiError, Core};

pub async fn list(core: &Core, actor: &Actor) -> Result<Vec<MemberDto>, ApiError> {
    users::list(&core.db.pool, &actor.organization_id).await?.into_iter().map(to_dto).collect()
}

pub async fn update_role(
    core: &Core,
    meta: &RequestMeta,
    actor: &Actor,
    user_id: &str,
    role: Role,
) -> Result<MemberDto, ApiError> {
    let target = find_member(core, actor, user_id).await?;
    let current = super::accounts::parse_role(&target.role)?;
    if let Err(e) = may_manage(actor, current, Some(role)) {
        audit::record_denied(core, meta, actor, "member.role_change", Some(("user", user_id))).await;
        return Err(e);
    }
    let now = time::now();
    let mut tx = core.db.pool.begin().await?;
    if current == Role::Owner && role != Role::Owner {
        ensure_not_last_owner(&mut tx, actor, "demote").await?;
    }
    users::update_role(&mut *tx, &actor.organization_id, user_id, role.as_str(), now).await?;
    audit::record(
        &mut *tx,
        meta,
        Event {
            organization_id: &actor.organization_id,
            user_id: Some(&actor.user_id),
            action: "member.role_change",
            target: Some(("user", user_id)),
            outcome: SUCCESS,
            details: serde_json::json!({ "from": current, "to": role }),
        },
    )
    .await?;
    tx.commit().await?;
    to_dto(UserRow { role: role.as_str().to_string(), updated_at: now, ..target })
}

pub async fn remove(core: &Core, meta: &RequestMeta, actor: &Actor, user_id: &str) -> Result<(), ApiError> {
    let target = find_member(core, actor, user_id).await?;
    let current = super::accounts::parse_role(&target.role)?;
    if let Err(e) = may_manage(actor, current, None) {
        audit::record_denied(core, meta, actor, "member.remove", Some(("user", user_id))).await;
        return Err(e);
    }
    let now = time::now();
    let mut tx = core.db.pool.begin().await?;
    if current == Role::Owner {
        ensure_not_last_owner(&mut tx, actor, "remove").await?;
    }
    refresh_tokens::revoke_all_for_user(&mut *tx, &actor.organization_id, user_id, now).await?;
    users::delete(&mut *tx, &actor.organization_id, user_id).await?;
    audit::record(
        &mut *tx,
        meta,
        Event {
            organization_id: &actor.organization_id,
            user_id: Some(&actor.user_id),
            action: "member.remove",
            target: Some(("user", user_id)),
            outcome: SUCCESS,
            details: serde_json::json!({ "email": target.email, "role": current }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Owners and admins manage members; only an owner may touch an owner or make one.
fn may_manage(actor: &Actor, target_role: Role, new_role: Option<Role>) -> Result<(), ApiError> {
    actor.require_admin("manage members")?;
    let touches_owner = target_role == Role::Owner || new_role == Some(Role::Owner);
    if touches_owner && actor.role != Role::Owner {
        return Err(ApiError::forbidden("Only an owner can change an owner or grant the owner role"));
    }
    Ok(())
}

/// Counted under the organization's lock, in the same transaction as the change, so two
/// concurrent demotions cannot both see a second owner.
async fn ensure_not_last_owner(tx: &mut sqlx::AnyConnection, actor: &Actor, verb: &str) -> Result<(), ApiError> {
    organizations::lock(&mut *tx, &actor.organization_id).await?;
    let owners = users::count_with_role(&mut *tx, &actor.organization_id, Role::Owner.as_str()).await?;
    if owners <= 1 {
        return Err(ApiError::bad_request(format!(
            "Cannot {verb} the last owner; make another member an owner first"
        )));
    }
    Ok(())
}

/// Another organization's user is indistinguishable from one that does not exist.
async fn find_member(core: &Core, actor: &Actor, user_id: &str) -> Result<UserRow, ApiError> {
    users::find(&core.db.pool, &actor.organization_id, user_id).await?.ok_or_else(|| ApiError::not_found("Member"))
}

fn to_dto(u: UserRow) -> Result<MemberDto, ApiError> {
    Ok(MemberDto {
        role: super::accounts::parse_role(&u.role)?,
        user_id: u.id,
        email: u.email,
        full_name: u.full_name,
        joined_at: time::rfc3339(u.created_at),
        last_login_at: u.last_login_at.map(time::rfc3339),
    })
}
