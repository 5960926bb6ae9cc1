//! The one notification path: a producer builds a [`Notice`](super::inbox::Notice) for its
//! [`Recipient`](super::inbox::Recipient)s and delivers it with [`notify_in_tx!`] inside the
//! transaction of the change that causes it. The inbox entries and the queued e-mails commit
//! with the change, or neither does.

/// Delivers `$notice` to `$recipients` inside transaction `$tx` of store `$store`: an inbox
/// message to each account and an e-mail (queued in the outbox) to each member. Answers how many
/// inbox messages were written. Use it in the transaction of the change that causes the notice.
/// Each inbox message is also a live-update event for its recipient (written by a trigger on
/// `inbox_messages`, so it carries the message's id); the stream is woken after the commit.
macro_rules! notify_in_tx {
    ($store:expr, $tx:expr, $recipients:expr, $notice:expr) => {{
        let mut delivered: u64 = 0;
        for statement in $store.notice_statements($recipients, $notice, $crate::store::now()) {
            delivered += $crate::store::sql::execute!($tx, statement);
        }
        if delivered > 0 {
            $store.events.queued();
        }
        for statement in $store.outbox_statements($recipients, $notice, $crate::store::now()) {
            $crate::store::sql::execute!($tx, statement);
        }
        delivered
    }};
}
pub(crate) use notify_in_tx;
