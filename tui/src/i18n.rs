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
    SectionDispatchKeys => "派遣要請", "Dispatch requests";
    SectionDispatch => "派遣", "Dispatch";
    SectionMyDispatch => "派遣要請への回答", "Answering requests";
    SectionShifts => "シフト表", "Shift grid";
    SectionReports => "日報", "Daily reports";
    CmdLineExportHonoraria => "謝金用に承認済み日報を CSV で書き出す（期間: 2026-11 または fy2026、totals で集計、cp932 で Shift_JIS）", "export approved reports for honoraria as CSV (period 2026-11 or fy2026; totals for the totals sheet; cp932 for Shift_JIS)";
    CmdFileReport => "日報を提出／修正する", "File or correct the daily report";
    CmdApproveReport => "日報を承認（確定）", "Approve the report (it is locked)";
    CmdReturnReport => "日報を差し戻す（コメントを入力）", "Return the report (with a comment)";
    CmdReopenReport => "承認済みの日報を再開する（修正のため、コメントを入力）", "Reopen an approved report for a correction (with a comment)";
    CmdReportStatusFilter => "状態で絞り込む（順に切替）", "Filter by status (steps through)";
    ReportsDue => "未提出", "To file";
    ReportsEmptyMine => "提出する日報はありません（承諾した枠が終わると表示されます）。", "No report to file (a slot you accepted shows here once it ends).";
    ReportsEmptyQueue => "該当する日報はありません。", "No report matches.";
    ReportsAll => "すべて", "all";
    ReportsColWorked => "実働", "Worked";
    ReportsColMember => "氏名", "Name";
    ReportsColRequest => "派遣要請", "Request";
    ReportsColVersion => "版", "Ver.";
    ReportsColChangedBy => "変更者", "Changed by";
    ReportsColComment => "コメント", "Comment";
    ReportsFileTitle => "日報の提出", "File a daily report";
    ReportsCorrectTitle => "日報の修正", "Correct the daily report";
    ReportsReturnTitle => "日報の差戻し", "Return the report";
    ReportsReopenTitle => "日報の再開（修正のため）", "Reopen the report for a correction";
    ReportsFieldDate => "勤務日", "Day worked";
    ReportsFieldStart => "開始時刻", "Started at";
    ReportsFieldEnd => "終了時刻（翌日可）", "Ended at (next day allowed)";
    ReportsFieldBreak => "休憩（分）", "Break (minutes)";
    ReportsFieldDuties => "行った業務", "Duties done";
    ReportsFieldNotes => "特記事項", "Notes";
    ReportsFieldComment => "コメント（登録者に表示）", "Comment (shown to the member)";
    ReportsCountActiveInvestigation => "聞き取り件数", "Count: investigations (interviews)";
    ReportsCountHealthObservation => "健康観察の人数", "Count: health observation (people)";
    ReportsCountPhoneConsultation => "電話相談の件数", "Count: phone consultations";
    ReportsCountSpecimenCollection => "検体採取の数", "Count: specimens taken";
    ReportsCountDataEntry => "入力件数", "Count: data entry (records)";
    ReportsCountOther => "その他の件数", "Count: other";
    ReportsFiled => "日報を提出しました。承認をお待ちください。", "The report was filed; it waits for approval.";
    ReportsApproved => "日報を承認しました。", "The report was approved.";
    ReportsReturned => "日報を差し戻しました（登録者に通知）。", "The report was returned (the member is told).";
    ReportsReopened => "日報を再開しました（登録者に通知）。", "The report was reopened (the member is told).";
    ReportsLocked => "承認済みの日報は修正できません（承認者に再開を依頼してください）。", "An approved report is locked (ask the approver to reopen it).";
    ReportsNotApproved => "承認済みの日報だけを再開できます。", "Only an approved report can be reopened.";
    ReportsNotSubmitted => "提出済みの日報だけを承認・差戻しできます。", "Only a submitted report can be approved or returned.";
    ReportsHistory => "派遣実績（承認済み日報）", "Dispatch history (approved reports)";
    ReportsRequestTotals => "この派遣要請", "This request";
    ReportsVersions => "履歴", "Versions";
    ReportsHints => "Enter:開く  e:提出/修正  r:再読込", "Enter:open  e:file/correct  r:reload";
    ReportsHintsReview => "Enter:開く  a:承認  R:差戻し  o:再開  f:状態", "Enter:open  a:approve  R:return  o:reopen  f:status";
    ReportsHintsOpen => "e:修正  Esc:一覧  r:再読込", "e:correct  Esc:list  r:reload";
    ReportsHintsOpenReview => "a:承認  R:差戻し  o:再開  Esc:一覧", "a:approve  R:return  o:reopen  Esc:list";
    SectionLegend => "記号の意味", "What the marks mean";
    CmdNewDispatch => "派遣要請を作成", "Write a new request";
    CmdEditDispatch => "派遣要請を編集（枠の追加）", "Edit the request (add slots)";
    CmdDispatchTargets => "依頼対象者を名簿の条件で選ぶ（人数を表示）", "Choose whom to ask with the roster's filters (counted)";
    CmdSendDispatch => "対象者に派遣要請を送信", "Send the request to the targets";
    CmdRemindSilent => "未回答者に催促", "Remind those who have not answered";
    CmdCancelDispatch => "派遣要請を中止（理由を入力）", "Call the request off (with a reason)";
    CmdDispatchStatusFilter => "状態で絞り込む（順に切替）", "Filter by status (steps through)";
    CmdOpenGrid => "シフト表を開く", "Open the shift grid";
    CmdToggleSlot => "この枠を対応可／不可にする", "Mark this slot available / not";
    CmdSendAnswer => "回答を送信", "Send the answer";
    CmdAcceptFormal => "正式依頼を承諾", "Accept the formal request";
    CmdDeclineFormal => "正式依頼を辞退（理由を入力）", "Decline the formal request (with a reason)";
    CmdAnswerNote => "回答に備考を書く", "Write a note with the answer";
    CmdAnswerDuties => "この枠で対応できる業務を選ぶ", "Choose the duties you can do in this slot";
    CmdMoveSlot => "この枠の日時・人数を変える（関係者に通知）", "Move or resize this slot (its people are told)";
    CmdCancelSlot => "この枠を中止（理由を入力、関係者に通知）", "Cancel this slot (with a reason its people are told)";
    CmdCellLeft => "前の枠へ", "Previous slot";
    CmdCellRight => "次の枠へ", "Next slot";
    CmdPrevDay => "前の日へ", "Previous day";
    CmdNextDay => "次の日へ", "Next day";
    CmdToggleAssign => "この枠に割り当てる／外す", "Assign to this slot / take off";
    CmdAutoFill => "自動で割り当てる（案を表示、送信しない）", "Auto-fill (a proposal; nothing is sent)";
    CmdReplan => "空いた枠を埋め直す（再計画）", "Re-plan the open seats";
    CmdConfirmPlan => "確定して正式依頼を送る（確認あり）", "Confirm and send the formal requests (asks first)";
    CmdJumpToPerson => "氏名・ふりがなで人を探す", "Jump to a person by name or reading";
    DispatchAllApproved => "承認済みの全員", "every approved member";
    DispatchCancelTitle => "派遣要請の中止", "Call the request off";
    DispatchChooseTargets => "先に t で依頼対象者を選んでください。", "Choose the targets with t first.";
    DispatchClosed => "この派遣要請は終了または中止されています。", "This request is over or cancelled.";
    DispatchColAnswered => "回答/依頼", "Answered";
    DispatchColAnsweredAt => "回答日時", "Answered at";
    DispatchColAvailable => "対応可", "Avail.";
    DispatchColDeadline => "回答期限", "Deadline";
    DispatchColNote => "備考", "Note";
    DispatchColPeriod => "期間", "Period";
    DispatchColSlots => "枠/人数", "Slots";
    DispatchColTitle => "件名", "Title";
    DispatchColWhen => "日時", "When";
    DispatchEdit => "派遣要請の編集", "Edit the request";
    DispatchEmpty => "派遣要請はありません。n で作成できます。", "No requests. Press n to write one.";
    DispatchFieldCentre => "派遣先保健所", "Health centre";
    DispatchFieldDeadline => "回答期限（日時）", "Answer by (date, time)";
    DispatchFieldDuties => "業務", "Duties";
    DispatchFieldEnd => "終了時刻", "Ends";
    DispatchFieldFrom => "開始日", "First day";
    DispatchFieldNeeded => "必要人数", "People needed";
    DispatchFieldNotes => "連絡事項", "Notes";
    DispatchFieldOtherDuty => "その他の業務（内容）", "Other duty (what)";
    DispatchFieldProfessions => "職種", "Professions";
    DispatchFieldReason => "理由", "Reason";
    DispatchFieldStart => "開始時刻", "Starts";
    DispatchFieldTitle => "件名", "Title";
    DispatchFieldTo => "終了日", "Last day";
    DispatchFieldWeekdaysOnly => "平日のみ（土日祝を除く）", "Working days only";
    DispatchHints => "Enter:開く  n:作成  f:状態  g:シフト表  r:再読込", "Enter:open  n:new  f:status  g:shift grid  r:reload";
    DispatchHintsOpen => "t:対象者  s:送信  R:催促  e:編集  X:中止  g:シフト表  Esc:一覧", "t:targets  s:send  R:remind  e:edit  X:cancel  g:grid  Esc:list";
    DispatchNew => "派遣要請の作成", "New dispatch request";
    DispatchNoCentres => "派遣先の保健所が登録されていません（組織タブで登録できます）。", "No health centre is registered (add one in the Organisation tab).";
    DispatchNobodyAsked => "まだ誰にも依頼していません。t で対象者を選び、s で送信します。", "Nobody asked yet. Choose targets with t, then send with s.";
    DispatchNobodyNew => "条件に合う人には全員依頼済みです。", "Everyone matching has been asked already.";
    DispatchNobodySilent => "未回答の人はいません。", "Everyone asked has answered.";
    DispatchNotAnswered => "未回答", "not answered";
    DispatchOpenFirst => "Enter で派遣要請を開いてから操作してください。", "Open a request with Enter first.";
    DispatchSeries => "枠", "Slots ";
    DispatchTargets => "対象", "Targets";
    DispatchTargetsHint => "対象者: t で名簿の条件を指定（該当人数を表示）", "Targets: press t to choose with the roster's filters (counted)";
    DispatchTargetsTitle => "依頼対象者の条件", "Whom to ask";
    MyDispatchAccepted => "正式依頼を承諾しました。", "You accepted the formal request.";
    MyDispatchAnswered => "回答を送信しました。期限までは変更できます。", "Your answer was sent. You can change it until the deadline.";
    MyDispatchAnsweredShort => "回答済", "answered";
    MyDispatchAvailable => "対応可", "available";
    MyDispatchClosed => "回答の受付は終了しています。", "Answers are no longer taken.";
    MyDispatchColAnswer => "回答", "Answer";
    MyDispatchColFormal => "正式依頼", "Formal";
    MyDispatchDeclineTitle => "正式依頼の辞退", "Decline the formal request";
    MyDispatchDeclined => "正式依頼を辞退しました。", "You declined the formal request.";
    MyDispatchDutiesTitle => "この枠で対応できる業務", "Duties you can do in this slot";
    MyDispatchEmpty => "派遣要請は届いていません。", "No request has reached you.";
    MyDispatchFormalWaiting => "要承諾", "to accept";
    MyDispatchHints => "Enter:開く  r:再読込", "Enter:open  r:reload";
    MyDispatchHintsOpen => "Space:可/不可  u:業務  e:備考  s:送信  a:承諾  d:辞退  Esc:一覧", "Space:available/not  u:duties  e:note  s:send  a:accept  d:decline  Esc:list";
    MyDispatchNoFormal => "この枠には承諾・辞退できる正式依頼がありません。", "There is no formal request to decide for this slot.";
    MyDispatchNoteTitle => "回答の備考", "Note with the answer";
    MyDispatchSlotCancelled => "中止", "cancelled";
    MyDispatchSlotIsCancelled => "この枠は中止されました。回答は要りません。", "This slot was cancelled: it takes no answer.";
    MyDispatchUnavailable => "不可", "not available";
    MyDispatchUnsent => "未送信の変更があります（s で送信）。", "Unsent changes (press s to send).";
    MyScheduleEmpty => "正式依頼はまだありません。", "No formal request yet.";
    MyScheduleHints => "Enter:派遣要請を開く  r:再読込", "Enter:open the request  r:reload";
    MyScheduleTitle => "自分のシフト", "My shifts";
    ShiftsAccepted => "承諾", "accepted";
    ShiftsAssigned => "割当", "assigned";
    ShiftsBusyElsewhere => "他の派遣あり", "busy elsewhere";
    ShiftsCancelSlotTitle => "枠の中止", "Cancel the slot";
    ShiftsConfirmRemove => "この人は正式依頼済みです。枠から外して本人に知らせますか？", "This person was asked formally. Take them off the slot and tell them?";
    ShiftsFieldDay => "日付", "Day";
    ShiftsGap => "不足", "gap";
    ShiftsHintsGrid => "hjkl:移動  H/L:日  Space:割当  a:自動  p:再計画  c:確定  /:人", "hjkl:move  H/L:day  Space:assign  a:auto  p:replan  c:confirm  /:person";
    ShiftsHintsList => "Enter:シフト表を開く  r:再読込", "Enter:open the grid  r:reload";
    ShiftsHintsSearch => "氏名・ふりがなを入力  Enter:決定  Esc:戻る", "Type a name or reading  Enter:keep  Esc:back";
    ShiftsLegendDays => "土日と祝日（振替休日を含む）は日付の見出しに表示", "weekends and public holidays (substitute ones too), in the day headers";
    ShiftsLegendSeats => "割当済み/必要人数（不足があると強調）", "seats taken / needed (highlighted while short)";
    ShiftsLoad => "負荷", "load";
    ShiftsMoveSlotTitle => "枠の変更", "Move the slot";
    ShiftsNeeded => "必要", "needed";
    ShiftsNoRequests => "シフトを組める派遣要請（送信済み以降）はありません。", "No request has a grid yet (send one first).";
    ShiftsNobodyAsked => "まだ誰にも依頼していないか、枠がありません。", "Nobody asked yet, or no slots.";
    ShiftsNothingPlanned => "正式依頼を送る仮割当がありません。", "No planned seat to send formally.";
    ShiftsPeople => "人", " people";
    ShiftsSlotCancelled => "枠を中止し、関係者に知らせました。", "The slot was cancelled and its people told.";
    ShiftsSlotMoved => "枠を変更しました（日時が変わった場合は関係者に通知）。", "The slot was changed (its people are told when its time moved).";
    ShiftsSeatsRow => "割当/必要", "taken/needed";
    LoginTitle => "ログイン", "Log in";
    LoginServer => "サーバー", "Server";
    LoginId => "ログインID", "Login";
    Password => "パスワード", "Password";
    LoginHint => "Tab: 次の項目  Enter: ログイン  Ctrl-c: 終了", "Tab: next field  Enter: log in  Ctrl-c: quit";
    LoggingIn => "ログイン中…", "Logging in…";
    SessionExpired => "セッションの有効期限が切れました。もう一度ログインしてください（作業中の画面はそのまま残ります）。", "Your session has expired. Log in again (your view is kept).";
    Offline => "サーバーに接続できません。自動で再接続します", "Cannot reach the server. Retrying automatically";
    OfflineNextTry => "次の再試行", "next try at";
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
    FieldNewPasswordAgain => "新しいパスワード（確認）", "New password again";
    FieldNewPasswordOptional => "新しいパスワード（空欄で自動生成）", "New password (blank: generate)";
    PickHint => "Enter: 一覧から選択", "Enter: choose from list";
    PickTitle => "選択（文字を入力して絞り込み）", "Choose (type to filter)";
    FormHint => "Tab/↑↓:項目移動  Ctrl-s:送信  Esc:通常モード/閉じる", "Tab/↑↓:fields  Ctrl-s:submit  Esc:normal mode/close";
    Submit => "送信", "Submit";
    FormFixFields => "入力内容を確認してください。", "Please check the fields.";
    FormBackOnline => "サーバーに再接続しました。Ctrl-s で送信できます。", "The server answers again. Press Ctrl-s to send.";
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
    Usage => "使い方", "Usage";
    BadServerUrl => "URL が正しくありません（例: https://ouen.example.jp）", "not a valid URL (e.g. https://ouen.example.jp)";
    NoSuchTab => "そのタブはありません。表示中のタブ", "No such tab. Tabs shown";
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
    ConfigWarningsIntro => "次の設定は読み飛ばしました。設定ファイルを直すと次回から反映されます。", "These settings were ignored; fix the configuration file and they apply next time.";
    DemoBanner => "デモ", "DEMO";
    SectionRoster => "名簿画面", "Roster view";
    SectionProfile => "登録情報（登録者）", "My record (members)";
    SectionInbox => "通知", "Inbox";
    LiveDown => "live ✗", "live ✗";
    CmdInboxKind => "種類で絞り込み（順に切り替え）", "Filter by kind (cycles)";
    CmdInboxNextPage => "次のページ", "Next page";
    CmdInboxPrevPage => "前のページ", "Previous page";
    CmdMarkAllRead => "すべて既読にする", "Mark every message read";
    CmdGoToRecord => "通知の対象の記録を開く", "Open the record the message concerns";
    InboxUnread => "未読", "unread";
    InboxOnlyUnread => "未読のみ", "unread only";
    InboxOnlyRead => "既読のみ", "read only";
    InboxPage => "ページ", "page";
    InboxEmpty => "通知はありません。", "No messages.";
    InboxColKind => "種類", "Kind";
    InboxColSubject => "件名", "Subject";
    InboxHints => "Enter:開く /:未読 t:種類 A:すべて既読 o:対象を開く", "Enter:open /:unread t:kind A:all read o:record";
    InboxHintsOpen => "Esc:一覧へ  j/k:スクロール  o:対象を開く", "Esc:back to list  j/k:scroll  o:open record";
    InboxNoRecord => "この通知に対象の記録はありません。", "This message concerns no record.";
    InboxRecordNotShown => "この通知の対象はこの画面では開けません。", "This client cannot show the record of this message.";
    InboxNothingUnread => "未読の通知はありません。", "No unread messages.";
    InboxMarkedRead => "既読にしました", "Marked read";
    ConfirmReadAll => "すべての通知を既読にしますか？", "Mark every message read?";
    CmdFilterPanel => "条件で絞り込む（職種・地域・状態など）", "Filter by conditions (profession, area, status…)";
    CmdClearFilter => "検索と条件をすべて解除", "Clear the search and every condition";
    CmdVettingQueue => "審査待ちの申請だけを表示（もう一度で戻る）", "Show applications waiting for review (again: back)";
    CmdNextPage => "次のページ", "Next page";
    CmdPrevPage => "前のページ", "Previous page";
    CmdSortNext => "並び順を切り替え", "Change the order";
    CmdSortReverse => "昇順・降順を反転", "Reverse the order";
    CmdApprove => "申請を承認（登録コードを発行）", "Approve the application (issues the registration code)";
    CmdReject => "申請を不承認（理由を入力）", "Reject the application (with a reason)";
    CmdSuspend => "登録を一時停止（理由を入力）", "Suspend (with a reason)";
    CmdReinstate => "一時停止を解除", "Reinstate";
    CmdConfirmRecheck => "免許の再確認を完了", "Confirm the licence re-check";
    CmdWithdrawMember => "本人の申し出により辞退（理由を入力）", "Withdraw on the member's word (with a reason)";
    CmdEditNotes => "備考を編集", "Edit the notes";
    CmdInvite => "自県管理の専門職へ招待コードを発行", "Invite a prefecture's own professional (one-time code)";
    CmdNewProfessional => "自県管理の専門職を登録（登録コードを発行）", "Enter a prefecture's own professional (issues a registration code)";
    CmdEditProfile => "登録情報を編集", "Edit my record";
    CmdEditAvailability => "選択した都道府県の活動可能期間を変更", "Change when I can help the chosen prefecture";
    CmdOfferPrefecture => "支援先の都道府県を追加", "Offer to help another prefecture";
    CmdWithdrawPrefecture => "選択した都道府県の登録を辞退", "Withdraw from the chosen prefecture";
    CmdWithdrawBank => "人材バンクから退会", "Leave the talent bank";
    CmdLineImport => "CSV を取り込む（試行で全行を検査してから登録）", "import a CSV (every row is checked first)";
    CmdLineExport => "表示中の条件で CSV を書き出す（cp932 で Shift_JIS）", "export the current list as CSV (cp932: Shift_JIS)";
    ColCode => "登録コード", "Reg. code";
    ColBirthYear => "生年", "Born";
    ColKana => "ふりがな", "Kana";
    ColProfessions => "職種", "Professions";
    ColHome => "居住地", "Home";
    ColRecheck => "再確認", "Recheck";
    RecheckMark => "要", "!";
    ColUpdated => "更新日", "Updated";
    ColLastDispatch => "最終派遣日", "Last dispatch";
    SearchPrompt => "検索（氏名・かな・登録コード・備考）", "Search (name, kana, code, notes)";
    SortWord => "並び", "Order";
    PageWord => "頁", " pages";
    VettingQueue => "審査待ち", "Waiting for review";
    BackToList => "Esc: 一覧へ戻る  j/k: スクロール", "Esc: back to the list  j/k: scroll";
    OpenForDetails => "Enter: 詳細を開く（生年月日・免許・履歴など）", "Enter: open the record (date of birth, licences, history…)";
    RosterHintsDecide => "/:検索 f:条件 v:審査待ち N:新規 Enter:詳細 a:承認 r:不承認 o:並替 ]/[:頁", "/:search f:filter v:queue N:new Enter:open a:approve r:reject o:sort ]/[:page";
    RosterHintsRead => "/:検索 f:条件 Enter:詳細 o:並替 ]/[:頁 :export", "/:search f:filter Enter:open o:sort ]/[:page :export";
    RosterHintsDetailDecide => "Esc:一覧 j/k:スクロール a:承認 r:不承認 s:停止 u:解除 c:再確認 e:備考", "Esc:list j/k:scroll a:approve r:reject s:suspend u:reinstate c:recheck e:notes";
    RosterHintsDetail => "Esc:一覧へ戻る j/k:スクロール", "Esc:back to the list j/k:scroll";
    ProfileHints => "e:登録情報の編集 a:活動可能期間 n:支援先の追加 w:辞退 W:退会 j/k:選択", "e:edit a:availability n:add prefecture w:withdraw W:leave j/k:choose";
    MyRecord => "登録情報", "My record";
    Managed => "都道府県管理", "managed by the prefecture";
    RecheckNeeded => "免許再確認待ち", "licence re-check";
    Reason => "理由", "Reason";
    Availability => "活動可能期間", "Availability";
    History => "履歴", "History";
    PrivateHidden => "※ 市区の権限では生年月日と番地は表示されません。", "Date of birth and street are not shown to cities.";
    Hidden => "（非表示）", "(hidden)";
    StreetHidden => "番地は非表示", "street hidden";
    WithdrawnFromBank => "人材バンクから退会済みです。", "Has left the talent bank.";
    SectionBasics => "基本情報", "Basics";
    SectionLicences => "免許", "Licences";
    SectionExperience => "経験", "Experience";
    SectionMemberships => "支援先の都道府県", "Prefectures supported";
    SectionTrainings => "研修修了", "Trainings completed";
    SectionNotes => "備考", "Notes";
    LicenceNo => "番号", "No.";
    Certificate => "修了証", "Certificate";
    Years => "年", " years";
    Never => "なし", "never";
    TermsAccepted => "利用規約に同意", "Accepted terms";
    FieldBirthDate => "生年月日", "Date of birth";
    FieldEmail => "メール", "E-mail";
    FieldPhone => "電話", "Phone";
    FieldAddress => "住所", "Address";
    FieldHomePrefecture => "都道府県（住所）", "Prefecture (home)";
    FieldStreet => "町名・番地・建物", "Street";
    FieldLicenceNumber => "免許番号", "Licence number";
    FieldLicensedOn => "免許年月日", "licensed on";
    FieldExperienceYears => "経験年数", "Years of experience";
    FieldExperienceFields => "経験分野", "Fields of experience";
    FieldLanguages => "言語", "Languages";
    FieldPeriodFrom => "開始日", "from";
    FieldPeriodTo => "終了日", "to";
    GroupPeriod => "期間", "Period ";
    GroupLicence => "免許", "Licence ";
    FilterPanelTitle => "条件で絞り込む（Ctrl-s で適用）", "Filter (Ctrl-s applies)";
    FilterPrefecture => "支援先の都道府県", "Prefecture supported";
    FilterMunicipality => "市区町村（住所）", "Municipality (home)";
    FilterAvailableFrom => "活動可能（開始日）", "Available from";
    FilterAvailableTo => "活動可能（終了日）", "Available to";
    FilterWay => "活動方法", "Way of helping";
    FilterTraining => "修了した研修（名称の一部）", "Training completed (part of title)";
    FilterDispatchedSince => "この日以降に派遣実績", "Dispatched since";
    FilterNeverDispatched => "派遣実績なしのみ", "Never dispatched";
    FilterRecheck => "免許再確認待ちのみ", "Waiting for a licence re-check";
    FilterManaged => "登録の経路", "How registered";
    Unset => "指定なし", "any";
    Yes => "はい", "yes";
    ManagedOnly => "都道府県管理の専門職のみ", "the prefecture's own professionals";
    ApplicantsOnly => "申請による登録者のみ", "applicants only";
    PickMultiTitle => "選択（Space: 選択/解除  Enter: 決定）", "Choose (Space: mark  Enter: done)";
    RejectTitle => "不承認", "Reject";
    SuspendTitle => "一時停止", "Suspend";
    WithdrawMemberTitle => "辞退（本人の申し出）", "Withdraw (on the member's word)";
    EditNotesTitle => "備考の編集", "Edit notes";
    EditProfileTitle => "登録情報の編集", "Edit my record";
    OfferTitle => "支援先と活動可能期間", "Prefecture and availability";
    ConfirmApprove => "この申請を承認しますか？（登録コードを発行します）", "Approve this application? (A registration code is issued.)";
    ConfirmReinstate => "一時停止を解除しますか？", "Reinstate this member?";
    ConfirmRecheckDone => "新しい免許を確認し、再確認を完了しますか？", "Has the new licence been checked? Clear the re-check?";
    ConfirmOverwrite => "このファイルは既にあります。上書きしますか？", "This file exists already. Write over it?";
    ConfirmInvite => "招待コードを発行しますか？（本人がアカウントを作成するためのもの）", "Issue an invitation code (for the professional to claim an account)?";
    ConfirmWithdrawPrefecture => "この都道府県の登録を辞退しますか？", "Withdraw from this prefecture?";
    ConfirmWithdrawBank => "人材バンクから退会しますか？すべての都道府県の登録が辞退になります。", "Leave the talent bank? You withdraw from every prefecture.";
    CodeIssuedTitle => "承認しました", "Approved";
    CodeIssued => "登録コードを発行しました（y でコピー）。本人に伝えてください。", "A registration code was issued (y copies it). Tell the member.";
    NoApplication => "この都道府県への審査中の申請はありません。", "No application is waiting for this prefecture.";
    NotApproved => "承認済みの登録ではありません。", "The member is not approved here.";
    NotSuspended => "一時停止中ではありません。", "The member is not suspended here.";
    NoRecheck => "免許の再確認待ちではありません。", "No licence re-check is waiting.";
    AlreadyWithdrawn => "既に辞退しています。", "Already withdrawn.";
    OpenFirst => "先に Enter で詳細を開いてください。", "Open the record with Enter first.";
    HasAccount => "既にアカウントがあります。", "The professional already has an account.";
    InvitationTitle => "招待コード", "Invitation code";
    InvitationOnce => "この画面でのみ表示します（y でコピー）。本人に渡してください。", "Shown only once (y copies it). Hand it to the professional.";
    Expires => "有効期限", "Expires";
    Import => "取込", "Import";
    Export => "出力", "Export";
    ImportReading => "ファイル読込", "reading the file";
    ImportChecking => "試行（全行を検査）", "checking every row";
    ImportSaving => "登録", "saving";
    ImportDone => "CSV を取り込みました", "CSV imported";
    ExportDone => "CSV を書き出しました", "CSV written";
    ImportRefused => "取込できませんでした", "Import refused";
    ExportRefused => "書き出せませんでした", "Export refused";
    ImportNothingSaved => "何も登録していません（すべての行が正しいときだけ登録します）。ファイルを直して再度取り込んでください。", "Nothing was saved (all rows or none). Fix the file and import it again.";
    ExportNothingWritten => "ファイルは作成していません。", "No file was written.";
    File => "ファイル", "File";
    TransferBusy => "別の取込・出力が実行中です。終わるまでお待ちください。", "Another import or export is running; wait for it to finish.";
    RegisterHint => "Ctrl-r: IHEAT 人材バンクへの登録申請", "Ctrl-r: apply to the IHEAT talent bank";
    RegisterTitle => "IHEAT 登録申請", "Apply to IHEAT";
    Terms => "利用規約", "Terms";
    AcceptTerms => "利用規約に同意する", "I accept the terms";
    RegisteredTitle => "登録申請を受け付けました", "Application received";
    RegisteredNext => "都道府県の審査が終わると登録コードが発行されます。このログインIDと登録したパスワードでログインし、状況を確認できます。", "When the prefecture has reviewed it, a registration code is issued. Log in with this login and your password to follow it.";
    NewProfessionalTitle => "自県管理の専門職の登録", "New professional (managed by the prefecture)";
    FieldManagingPrefecture => "管理する都道府県", "Managing prefecture";
    NewProfessionalNote => "メール・電話・番地・活動可能期間は任意です。保存すると登録コードを発行します。", "E-mail, phone, street and availability are optional. Saving issues a registration code.";
    ProfessionalEnteredTitle => "登録しました", "Professional entered";
    ProfessionalEntered => "登録コードを発行しました（y でコピー）。名簿に追加されています。", "A registration code was issued (y copies it). The professional is on the roster now.";
    LinesFooter => "j/k: スクロール  Esc: 閉じる", "j/k: scroll  Esc: close";
    CmdBulkMail => "表示中の条件の登録者に一斉メール", "Bulk mail to the members of the current filter";
    CmdMailHistory => "一斉メールの送信履歴", "The bulk mails sent";
    CmdMailPreview => "一斉メール: 送信される文面を表示", "Bulk mail: show the message as sent";
    CmdLineMail => "表示中の条件で一斉メールを作成", "write a bulk mail to the current filter";
    CmdLineMailHistory => "一斉メールの送信履歴", "the bulk mails sent";
    MailTitle => "一斉メール", "Bulk mail";
    MailTo => "宛先", "To";
    MailEveryone => "名簿の全員（絞り込みなし）", "everyone on the roster (no filter)";
    SearchWord => "検索", "search";
    MailSubject => "件名", "Subject";
    MailBody => "本文", "Body";
    MailCounting => "宛先を数えています…", "Counting the recipients…";
    MailCountAfterText => "件名と本文を入力すると宛先の人数を表示します。", "The number of recipients shows once a subject and a body are written.";
    MailNoRecipients => "宛先が 0 名のため送信できません。名簿の絞り込みを見直してください。", "No member would receive it, so it cannot be sent. Change the roster's filter.";
    MailWaitCount => "宛先の人数を確かめています。少し待ってから送信してください。", "The recipients are being counted; send again in a moment.";
    MailHint => "Tab:項目  Ctrl-p:プレビュー  Ctrl-s:送信  Esc:閉じる", "Tab:field  Ctrl-p:preview  Ctrl-s:send  Esc:close";
    MailHintNoSend => "Tab:項目  Ctrl-p:プレビュー  Esc:閉じる（0 名には送信できません）", "Tab:field  Ctrl-p:preview  Esc:close (nobody to send to)";
    MailUnavailable => "このサーバーでは一斉メールをまだ使えません（サーバーの更新が必要です）。", "This server does not offer bulk mail yet (it needs an update).";
    MailKeptOffline => "サーバーに接続できず、送信を確認できませんでした。入力内容は保持しています。Ctrl-s で再送しても二重には届きません。", "Could not reach the server to confirm the send; your text is kept. Ctrl-s sends again, and nobody receives it twice.";
    MailPreviewTitle => "送信される文面", "The message as sent";
    MailPreviewOld => "（入力中の変更はまだ反映されていません）", "(the latest changes are not in it yet)";
    MailHistoryTitle => "一斉メールの送信履歴", "Bulk mails sent";
    MailHistoryEmpty => "送信した一斉メールはありません。", "No bulk mail has been sent.";
    MailHistoryHint => "Enter:開く  j/k:移動  ]/[:ページ  r:再読込  Esc:閉じる", "Enter:open  j/k:move  ]/[:page  r:reload  Esc:close";
    MailSentTitle => "送信済みの一斉メール", "Bulk mail sent";
    ColSentAt => "送信日時", "Sent";
    ColRecipients => "宛先数", "To";
    ColAuthor => "送信者", "By";
    MailFilterWord => "条件", "Filter";
}

/// `宛先 123 名 (配信停止 4 名を除く)`: whom a bulk mail reaches, and who opted out.
pub fn mail_recipients(lang: Lang, recipients: i64, opted_out: i64) -> String {
    match (lang, opted_out) {
        (Lang::Ja, 0) => format!("宛先 {recipients} 名"),
        (Lang::Ja, n) => format!("宛先 {recipients} 名 (配信停止 {n} 名を除く)"),
        (_, 0) => format!("To {recipients} members"),
        (_, n) => format!("To {recipients} members ({n} who opted out left out)"),
    }
}

/// `123 名に送信しますか?`
pub fn mail_confirm(lang: Lang, recipients: i64) -> String {
    match lang {
        Lang::Ja => format!("{recipients} 名に送信しますか?"),
        _ => format!("Send to {recipients} members?"),
    }
}

/// `123 名に送信しました。`
pub fn mail_sent(lang: Lang, recipients: i64) -> String {
    match lang {
        Lang::Ja => format!("{recipients} 名に送信しました。"),
        _ => format!("Sent to {recipients} members."),
    }
}

/// `123 名`, a count of members in a column.
pub fn members(lang: Lang, n: i64) -> String {
    match lang {
        Lang::Ja => format!("{n} 名"),
        _ => n.to_string(),
    }
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
