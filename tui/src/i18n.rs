//! Every user-interface text in Japanese and English, from one catalog.

use ouen_shared::Lang;

macro_rules! catalog {
    ($($key:ident => $ja:literal, $en:literal;)+) => {
        /// A text of the user interface.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum T { $($key,)+ }

        impl T {
            /// The text in the given language.
            pub fn get(self, lang: Lang) -> &'static str {
                match self { $(T::$key => lang.pick($ja, $en),)+ }
            }
        }
    };
}

catalog! {
    AppName => "ouen 応援", "ouen";
    TabOrganisation => "組織", "Organisation";
    TabRoster => "名簿", "Roster";
    TabDispatch => "派遣要請", "Dispatch";
    TabShifts => "シフト", "Shifts";
    TabReports => "集計", "Reports";
    TabTrainings => "研修", "Trainings";
    TabPostings => "求人", "Postings";
    TabInbox => "通知", "Inbox";
    LoginTitle => "ログイン", "Log in";
    LoginServer => "サーバー", "Server";
    LoginId => "ログインID", "Login";
    Password => "パスワード", "Password";
    LoginHint => "Tab: 次の項目  Enter: ログイン  Ctrl-c: 終了", "Tab: next field  Enter: log in  Ctrl-c: quit";
    LoggingIn => "ログイン中…", "Logging in…";
    SessionExpired => "セッションの有効期限が切れました。もう一度ログインしてください（作業中の画面はそのまま残ります）。", "Your session has expired. Log in again (your view is kept).";
    Offline => "サーバーに接続できません。自動で再接続します", "Cannot reach the server. Retrying automatically";
    OfflineIn => "秒間隔で再試行中", "s between retries";
    BackOnline => "サーバーに再接続しました。", "Connected to the server again.";
    Loading => "読み込み中…", "Loading…";
    Saving => "送信中…", "Sending…";
    TooSmall => "端末が小さすぎます。60×16 以上に広げてください。", "The terminal is too small. Make it at least 60×16.";
    ModeNormal => "通常", "NORMAL";
    ModeInsert => "入力", "INSERT";
    HintsNormal => "?:ヘルプ  ::コマンド  /:絞り込み  q:終了", "?:help  ::command  /:filter  q:quit";
    HintsInsert => "Esc:通常モード  Tab:次の項目  Ctrl-s:送信", "Esc:normal mode  Tab:next field  Ctrl-s:submit";
    Help => "ヘルプ（キー一覧）", "Help (keys)";
    HelpFooter => "j/k: スクロール  Esc: 閉じる", "j/k: scroll  Esc: close";
    Accounts => "アカウント", "Accounts";
    HealthCentres => "保健所", "Health centres";
    MyOrganisation => "所属", "Organisation";
    Role => "権限", "Role";
    ColLogin => "ログインID", "Login";
    ColName => "氏名", "Name";
    ColOrg => "組織", "Organisation";
    ColStatus => "状態", "Status";
    ColCreated => "作成日", "Created";
    ColCentre => "保健所名", "Health centre";
    ColParent => "設置主体", "Run by";
    ColAccounts => "アカウント数", "Accounts";
    Enabled => "有効", "active";
    Disabled => "停止中", "disabled";
    Empty => "（該当なし）", "(none)";
    FilterPrompt => "絞り込み", "Filter";
    Rows => "件", "rows";
    OrgHintsAdmin => "n:都道府県アカウント発行  Enter:詳細  d:停止/再開  R:パスワード再発行  P:自分のパスワード", "n:new prefecture account  Enter:details  d:disable/enable  R:reset password  P:my password";
    OrgHintsPref => "n:新規  Enter:詳細  d:停止/再開  R:パスワード再発行  h/l:一覧切替  P:自分のパスワード", "n:new  Enter:details  d:disable/enable  R:reset password  h/l:switch list  P:my password";
    OrgHintsOther => "Enter:詳細  P:自分のパスワード", "Enter:details  P:my password";
    NewPrefectureAccount => "都道府県アカウントの発行", "New prefecture account";
    NewCityAccount => "保健所設置市・特別区アカウントの発行", "New city / special ward account";
    NewHealthCentre => "保健所の登録", "New health centre";
    RenameHealthCentre => "保健所名の変更", "Rename health centre";
    ChangeOwnPassword => "自分のパスワード変更", "Change my password";
    ResetPassword => "パスワード再発行", "Reset password";
    FieldDisplayName => "氏名・担当者名", "Display name";
    FieldPrefecture => "都道府県", "Prefecture";
    FieldMunicipality => "市・特別区", "City / ward";
    FieldPasswordOptional => "初期パスワード（空欄で自動生成）", "Initial password (blank: generate)";
    FieldCentreName => "保健所名", "Health centre name";
    FieldParent => "設置主体", "Run by";
    FieldCurrentPassword => "現在のパスワード", "Current password";
    FieldNewPassword => "新しいパスワード", "New password";
    FieldNewPasswordOptional => "新しいパスワード（空欄で自動生成）", "New password (blank: generate)";
    PickHint => "Enter: 一覧から選択", "Enter: choose from list";
    PickTitle => "選択（文字を入力して絞り込み）", "Choose (type to filter)";
    FormHint => "Tab/↑↓:項目移動  Ctrl-s:送信  Esc:通常モード/閉じる", "Tab/↑↓:fields  Ctrl-s:submit  Esc:normal mode/close";
    Submit => "送信", "Submit";
    FormFixFields => "入力内容を確認してください。", "Please check the fields.";
    FormKeptOffline => "サーバーに接続できないため送信できませんでした。入力内容は保持しています。接続後に Ctrl-s で再送してください。", "Could not reach the server; nothing was sent and your input is kept. Press Ctrl-s again once connected.";
    Created => "作成しました。", "Created.";
    Saved => "保存しました。", "Saved.";
    InitialPasswordOnce => "初期パスワード（この画面でのみ表示します。y でコピー）", "Initial password (shown only once; y copies it)";
    NewPasswordOnce => "新しいパスワード（この画面でのみ表示します。y でコピー）", "New password (shown only once; y copies it)";
    PasswordChanged => "パスワードを変更しました。", "Your password was changed.";
    ConfirmTitle => "確認", "Confirm";
    ConfirmYesNo => "y: はい  n/Esc: いいえ", "y: yes  n/Esc: no";
    ConfirmQuitUnsaved => "入力中の内容があります。破棄して終了しますか？", "A form has unsaved input. Discard it and quit?";
    ConfirmCloseUnsaved => "入力中の内容を破棄しますか？", "Discard the unsaved input?";
    ConfirmDisable => "このアカウントを停止しますか？", "Disable this account?";
    ConfirmEnable => "このアカウントを再開しますか？", "Enable this account again?";
    ConfirmReset => "このアカウントのパスワードを再発行しますか？", "Reset the password of this account?";
    Details => "詳細", "Details";
    Copied => "コピーしました（OSC 52）", "Copied (OSC 52)";
    NothingToCopy => "コピーする値がありません。", "Nothing to copy.";
    UnknownCommand => "不明なコマンドです", "Unknown command";
    NotYetAvailable => "この画面はまだ利用できません", "This view is not available yet";
    LoggedOut => "ログアウトしました。", "Logged out.";
    NotAllowedHere => "この権限では操作できません。", "Your role cannot do this.";
    NoSelection => "行が選択されていません。", "No row is selected.";
    Close => "閉じる", "Close";
    CmdQuit => "終了する", "Quit";
    CmdForceQuit => "確認せずに終了する", "Quit without asking";
    CmdNextTab => "次のタブ", "Next tab";
    CmdPrevTab => "前のタブ", "Previous tab";
    CmdTab => "N 番目のタブ", "Tab number N";
    CmdDown => "下へ", "Move down";
    CmdUp => "上へ", "Move up";
    CmdTop => "先頭へ", "Go to top";
    CmdBottom => "末尾へ", "Go to bottom";
    CmdPageDown => "半画面下へ", "Half page down";
    CmdPageUp => "半画面上へ", "Half page up";
    CmdOpen => "開く・決定", "Open / choose";
    CmdBack => "戻る・取消", "Back / cancel";
    CmdFilter => "一覧を絞り込む", "Filter the list";
    CmdCommand => "コマンド入力", "Command line";
    CmdHelp => "このヘルプ", "This help";
    CmdCopy => "選択中の値をコピー（OSC 52）", "Copy the selected value (OSC 52)";
    CmdRefresh => "再読み込み", "Reload";
    CmdNew => "新規作成", "Create new";
    CmdToggleDisabled => "アカウントの停止・再開", "Disable / enable account";
    CmdResetPassword => "パスワード再発行", "Reset password";
    CmdRename => "名称変更", "Rename";
    CmdOwnPassword => "自分のパスワード変更", "Change my password";
    CmdNextPane => "次の一覧", "Next list";
    CmdPrevPane => "前の一覧", "Previous list";
    CmdSubmit => "フォームを送信", "Submit the form";
    SectionGlobal => "全体", "Everywhere";
    SectionList => "一覧", "Lists";
    SectionOrg => "組織画面", "Organisation view";
    SectionForm => "フォーム", "Forms";
    SectionCommands => "コマンド（: で入力、Tab で補完）", "Commands (type after :, Tab completes)";
    CmdLineQuit => "終了", "quit";
    CmdLineLogout => "ログアウトしてログイン画面へ", "log out and return to the login screen";
    CmdLineLang => "表示言語を切り替え（ja / en）", "switch language (ja / en)";
    CmdLineHelp => "ヘルプを表示", "show help";
    CmdLineRefresh => "再読み込み", "reload";
    CmdLinePassword => "自分のパスワード変更", "change my password";
    CmdLineTab => "タブへ移動", "go to the tab";
    ConfigWarnings => "設定ファイルの警告", "Configuration warnings";
    DemoBanner => "デモ", "DEMO";
}

/// The language from the environment (`LC_ALL`, then `LC_MESSAGES`, then `LANG`); Japanese
/// when none names `en`.
pub fn lang_from_env() -> Lang {
    for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        if let Ok(v) = std::env::var(var) {
            if v.is_empty() {
                continue;
            }
            return Lang::parse(&v).unwrap_or_default();
        }
    }
    Lang::Ja
}
