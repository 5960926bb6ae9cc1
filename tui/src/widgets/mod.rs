//! Drawing helpers shared by the views.

pub mod input;
pub mod spinner;
pub mod table;
pub mod text;
pub mod textbox;
pub mod title;
