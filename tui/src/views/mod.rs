//! The tabs' views, one folder each. A view owns its state, keys, calls, messages and forms;
//! it knows the application only through [`crate::app`] and the dialogs of [`crate::ui`].

pub mod dispatch;
pub mod inbox;
pub mod my_dispatch;
pub mod organisation;
pub mod profile;
pub mod reports;
pub mod roster;
pub mod shifts;
pub mod utilisation;
