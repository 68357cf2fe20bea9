//! The session: documents, workspaces, the message loop.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use crossbeam_channel::{Receiver, RecvTimeoutError, TryRecvError};
use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, Diagnostic as LspDiagnostic,
    DiagnosticSeverity, Hover, HoverContents, HoverParams, HoverProviderCapability, MarkupContent,
    MarkupKind, NumberOrString, PublishDiagnosticsParams, SaveOptions, ServerCapabilities,
    ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Uri,
};
use pathfinder_diagnostics::{AttributeState, Diagnostic, Level};
use pathfinder_engine::{FixMode, NoProgress, Overlay, Settings};
use serde_json::{Value, json};

use crate::actions;
use crate::position::{Lines, uri_to_path};
use crate::transport::Incoming;
use crate::{DEBOUNCE, Exit, LoadSettings};

/// Documents larger than this are not checked (the CLI's own limit for a
/// module it follows is far lower); the user is told once.
const MAX_DOCUMENT_BYTES: usize = 16 * 1024 * 1024;

/// An open document.
pub(crate) struct Document {
    pub(crate) uri: String,
    pub(crate) path: PathBuf,
    pub(crate) text: String,
    pub(crate) version: i32,
    /// Python by language id or by extension; other documents are not checked.
    python: bool,
    /// A check is due at this time.
    due: Option<Instant>,
    /// The findings of the last check, with the text they were found in.
    pub(crate) findings: Vec<Diagnostic>,
    pub(crate) checked_text: Arc<str>,
}

impl Document {
    /// Whether a change to this document can change other documents'
    /// findings: a Django settings module or an entry point that names one.
    fn is_settings_like(&self) -> bool {
        let name = self
            .path
            .file_name()
            .map(|name| name.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        matches!(name.as_str(), "wsgi.py" | "asgi.py" | "manage.py")
            || self
                .path
                .components()
                .any(|part| part.as_os_str().to_string_lossy().contains("settings"))
            || self.findings.iter().any(|finding| {
                pathfinder_rules::find_rule(finding.rule)
                    .is_some_and(pathfinder_rules::Rule::checks_project)
            })
    }
}

/// A queued request, answered once the documents it is about are checked.
struct Pending {
    request: Request,
}

pub(crate) struct Server<'a> {
    out: &'a mut dyn Write,
    load_settings: &'a LoadSettings,
    initialized: bool,
    shutdown: bool,
    roots: Vec<PathBuf>,
    /// From `initializationOptions.ruleset`.
    ruleset: Option<Vec<String>>,
    /// Settings by workspace root; an error is shown once and the defaults used.
    settings: HashMap<PathBuf, Settings>,
    documents: BTreeMap<String, Document>,
    queue: Vec<Pending>,
    next_request: i32,
    watch_files: bool,
}

impl<'a> Server<'a> {
    pub(crate) fn new(out: &'a mut dyn Write, load_settings: &'a LoadSettings) -> Server<'a> {
        Server {
            out,
            load_settings,
            initialized: false,
            shutdown: false,
            roots: Vec::new(),
            ruleset: None,
            settings: HashMap::new(),
            documents: BTreeMap::new(),
            queue: Vec::new(),
            next_request: 0,
            watch_files: false,
        }
    }

    pub(crate) fn serve(mut self, receiver: &Receiver<Incoming>) -> io::Result<Exit> {
        loop {
            let due = self.documents.values().filter_map(|doc| doc.due).min();
            let first = match due {
                Some(due) => match receiver.recv_deadline(due) {
                    Ok(incoming) => Some(incoming),
                    Err(RecvTimeoutError::Timeout) => None,
                    Err(RecvTimeoutError::Disconnected) => return Ok(Exit::Abrupt),
                },
                None => match receiver.recv() {
                    Ok(incoming) => Some(incoming),
                    Err(_) => return Ok(Exit::Abrupt),
                },
            };
            // Everything already sent is read before anything is answered.
            let mut batch: Vec<Incoming> = first.into_iter().collect();
            loop {
                match receiver.try_recv() {
                    Ok(incoming) => batch.push(incoming),
                    Err(TryRecvError::Empty) => break,
                    Err(TryRecvError::Disconnected) => {
                        // Act on what was sent, then end.
                        for incoming in batch.drain(..) {
                            if let Some(exit) = self.handle(incoming)? {
                                return Ok(exit);
                            }
                        }
                        return Ok(Exit::Abrupt);
                    }
                }
            }
            for incoming in batch {
                if let Some(exit) = self.handle(incoming)? {
                    return Ok(exit);
                }
            }
            self.check_due()?;
            self.answer_queue()?;
        }
    }

    fn send(&mut self, message: &Message) -> io::Result<()> {
        message.write(&mut self.out)
    }

    fn respond(&mut self, response: Response) -> io::Result<()> {
        self.send(&Message::Response(response))
    }

    fn error(&mut self, id: RequestId, code: ErrorCode, message: String) -> io::Result<()> {
        self.respond(Response::new_err(id, code as i32, message))
    }

    fn notify(&mut self, method: &str, params: impl serde::Serialize) -> io::Result<()> {
        self.send(&Message::Notification(Notification::new(
            method.to_string(),
            params,
        )))
    }

    fn show_message(&mut self, kind: lsp_types::MessageType, text: String) -> io::Result<()> {
        self.notify(
            "window/showMessage",
            lsp_types::ShowMessageParams {
                typ: kind,
                message: text,
            },
        )
    }

    /// Handles one message; `Some` when the session ends.
    fn handle(&mut self, incoming: Incoming) -> io::Result<Option<Exit>> {
        match incoming {
            Incoming::Malformed { code, reason } => {
                // No id can be read from it: JSON-RPC answers with a null id.
                let response = json!({
                    "jsonrpc": "2.0",
                    "id": null,
                    "error": { "code": code, "message": reason },
                });
                let text = response.to_string();
                write!(self.out, "Content-Length: {}\r\n\r\n{text}", text.len())?;
                self.out.flush()?;
            }
            Incoming::Message(Message::Request(request)) => self.request(request)?,
            Incoming::Message(Message::Notification(notification)) => {
                if notification.method == "exit" {
                    return Ok(Some(if self.shutdown {
                        Exit::Clean
                    } else {
                        Exit::Abrupt
                    }));
                }
                self.notification(notification)?;
            }
            // Answers to our registration requests; nothing to do.
            Incoming::Message(Message::Response(_)) => {}
        }
        Ok(None)
    }

    fn request(&mut self, request: Request) -> io::Result<()> {
        if request.method == "initialize" {
            if self.initialized {
                return self.error(
                    request.id,
                    ErrorCode::InvalidRequest,
                    "initialize was already received".to_string(),
                );
            }
            return self.initialize(request);
        }
        if !self.initialized {
            return self.error(
                request.id,
                ErrorCode::ServerNotInitialized,
                "the server is not initialized".to_string(),
            );
        }
        if self.shutdown {
            return self.error(
                request.id,
                ErrorCode::InvalidRequest,
                "the server is shutting down".to_string(),
            );
        }
        match request.method.as_str() {
            "shutdown" => {
                self.shutdown = true;
                self.respond(Response::new_ok(request.id, Value::Null))
            }
            "textDocument/hover" | "textDocument/codeAction" => {
                self.queue.push(Pending { request });
                Ok(())
            }
            _ => self.error(
                request.id,
                ErrorCode::MethodNotFound,
                format!("unknown method `{}`", request.method),
            ),
        }
    }

    fn initialize(&mut self, request: Request) -> io::Result<()> {
        let params: lsp_types::InitializeParams =
            match serde_json::from_value(request.params.clone()) {
                Ok(params) => params,
                Err(error) => {
                    return self.error(
                        request.id,
                        ErrorCode::InvalidParams,
                        format!("invalid initialize parameters: {error}"),
                    );
                }
            };
        let mut roots: Vec<PathBuf> = params
            .workspace_folders
            .iter()
            .flatten()
            .filter_map(|folder| uri_to_path(folder.uri.as_str()))
            .collect();
        #[allow(deprecated, reason = "older clients send only rootUri")]
        if roots.is_empty()
            && let Some(root) = params
                .root_uri
                .as_ref()
                .and_then(|uri| uri_to_path(uri.as_str()))
        {
            roots.push(root);
        }
        // The deepest folder holding a document is its workspace.
        roots.sort_by_key(|root| std::cmp::Reverse(root.components().count()));
        self.roots = roots;
        if let Some(options) = &params.initialization_options
            && let Some(ruleset) = options.get("ruleset")
        {
            let ruleset: Vec<String> = match ruleset {
                Value::String(one) => vec![one.clone()],
                Value::Array(many) => many
                    .iter()
                    .filter_map(|item| item.as_str().map(str::to_string))
                    .collect(),
                _ => Vec::new(),
            };
            if !ruleset.is_empty() {
                self.ruleset = Some(ruleset);
            }
        }
        self.watch_files = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|workspace| workspace.did_change_watched_files.as_ref())
            .and_then(|watched| watched.dynamic_registration)
            .unwrap_or(false);
        let capabilities = ServerCapabilities {
            text_document_sync: Some(TextDocumentSyncCapability::Options(
                TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                        include_text: Some(false),
                    })),
                    ..TextDocumentSyncOptions::default()
                },
            )),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                code_action_kinds: Some(vec![
                    CodeActionKind::QUICKFIX,
                    CodeActionKind::new(actions::FIX_ALL_KIND),
                ]),
                ..CodeActionOptions::default()
            })),
            ..ServerCapabilities::default()
        };
        let result = lsp_types::InitializeResult {
            capabilities,
            server_info: Some(ServerInfo {
                name: "pathfinder".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
        };
        self.initialized = true;
        self.respond(Response::new_ok(request.id, result))
    }

    fn notification(&mut self, notification: Notification) -> io::Result<()> {
        if !self.initialized {
            return Ok(());
        }
        let params = notification.params;
        match notification.method.as_str() {
            "initialized" if self.watch_files => self.register_watchers()?,
            "textDocument/didOpen" => {
                if let Ok(params) =
                    serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(params)
                {
                    self.open(params);
                }
            }
            "textDocument/didChange" => {
                if let Ok(params) =
                    serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(params)
                {
                    self.change(params);
                }
            }
            "textDocument/didSave" => {
                if let Ok(params) =
                    serde_json::from_value::<lsp_types::DidSaveTextDocumentParams>(params)
                {
                    self.saved(params.text_document.uri.as_str());
                }
            }
            "textDocument/didClose" => {
                if let Ok(params) =
                    serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(params)
                {
                    self.close(params.text_document.uri.as_str())?;
                }
            }
            "workspace/didChangeWatchedFiles" => {
                if let Ok(params) =
                    serde_json::from_value::<lsp_types::DidChangeWatchedFilesParams>(params)
                {
                    self.watched(&params);
                }
            }
            "$/cancelRequest" => {
                if let Ok(params) = serde_json::from_value::<lsp_types::CancelParams>(params) {
                    let id: RequestId = match params.id {
                        NumberOrString::Number(number) => number.into(),
                        NumberOrString::String(text) => text.into(),
                    };
                    if let Some(at) = self
                        .queue
                        .iter()
                        .position(|pending| pending.request.id == id)
                    {
                        let pending = self.queue.remove(at);
                        self.error(
                            pending.request.id,
                            ErrorCode::RequestCanceled,
                            "cancelled".to_string(),
                        )?;
                    }
                }
            }
            // Unknown notifications are ignored, as the protocol asks.
            _ => {}
        }
        Ok(())
    }

    fn register_watchers(&mut self) -> io::Result<()> {
        let watchers: Vec<lsp_types::FileSystemWatcher> =
            ["**/.pathfinder.toml", "**/pyproject.toml", "**/*.py"]
                .into_iter()
                .map(|glob| lsp_types::FileSystemWatcher {
                    glob_pattern: lsp_types::GlobPattern::String(glob.to_string()),
                    kind: None,
                })
                .collect();
        let registration = lsp_types::Registration {
            id: "pathfinder-watch".to_string(),
            method: "workspace/didChangeWatchedFiles".to_string(),
            register_options: Some(json!({ "watchers": watchers })),
        };
        self.next_request += 1;
        let id = RequestId::from(format!("pathfinder-{}", self.next_request));
        self.send(&Message::Request(Request::new(
            id,
            "client/registerCapability".to_string(),
            lsp_types::RegistrationParams {
                registrations: vec![registration],
            },
        )))
    }

    fn open(&mut self, params: lsp_types::DidOpenTextDocumentParams) {
        let item = params.text_document;
        let uri = item.uri.as_str().to_string();
        let Some(path) = uri_to_path(&uri) else {
            return;
        };
        let python = item.language_id == "python"
            || path
                .extension()
                .is_some_and(|extension| extension == "py" || extension == "pyi");
        let document = Document {
            uri: uri.clone(),
            path,
            text: item.text,
            version: item.version,
            python,
            due: python.then(Instant::now),
            findings: Vec::new(),
            checked_text: Arc::from(""),
        };
        self.documents.insert(uri, document);
    }

    fn change(&mut self, params: lsp_types::DidChangeTextDocumentParams) {
        let Some(document) = self.documents.get_mut(params.text_document.uri.as_str()) else {
            return;
        };
        for change in params.content_changes {
            match change.range {
                Some(range) => {
                    let range = Lines::new(&document.text).text_range(range);
                    document.text.replace_range(
                        usize::from(range.start())..usize::from(range.end()),
                        &change.text,
                    );
                }
                None => document.text = change.text,
            }
        }
        document.version = params.text_document.version;
        if document.python {
            let due = Instant::now() + DEBOUNCE;
            document.due = Some(due);
        }
    }

    fn saved(&mut self, uri: &str) {
        let Some(document) = self.documents.get_mut(uri) else {
            return;
        };
        if document.python {
            document.due = Some(Instant::now());
        }
        let path = document.path.clone();
        if is_config_file(&path) {
            self.reload_settings(&path);
        }
    }

    fn close(&mut self, uri: &str) -> io::Result<()> {
        if let Some(document) = self.documents.remove(uri) {
            let uri = document.uri.clone();
            self.publish(&uri, Vec::new(), None)?;
            // Other documents may have imported the unsaved text.
            if document.is_settings_like() {
                self.all_due();
            }
        }
        // Requests about a closed document get an empty answer.
        Ok(())
    }

    fn watched(&mut self, params: &lsp_types::DidChangeWatchedFilesParams) {
        let mut recheck = false;
        for change in &params.changes {
            let Some(path) = uri_to_path(change.uri.as_str()) else {
                continue;
            };
            if is_config_file(&path) {
                self.reload_settings(&path);
                recheck = true;
            } else if path.extension().is_some_and(|extension| extension == "py") {
                // A settings module or entry point changed on disk: the
                // project-level findings of every open document may move.
                let name = path
                    .file_name()
                    .map(|name| name.to_string_lossy().to_lowercase())
                    .unwrap_or_default();
                recheck |= matches!(name.as_str(), "wsgi.py" | "asgi.py" | "manage.py")
                    || path.to_string_lossy().contains("settings");
            }
        }
        if recheck {
            self.all_due();
        }
    }

    /// Forgets the settings of the workspaces `path` configures.
    fn reload_settings(&mut self, path: &Path) {
        self.settings
            .retain(|root, _| path.parent().is_none_or(|folder| folder != root));
        self.all_due();
    }

    fn all_due(&mut self) {
        let now = Instant::now();
        for document in self.documents.values_mut() {
            if document.python {
                document.due = Some(document.due.map_or(now, |due| due.min(now)));
            }
        }
    }

    /// The workspace folder of `path`: the deepest client folder holding
    /// it, else its own folder.
    fn root_of(&self, path: &Path) -> PathBuf {
        self.roots
            .iter()
            .find(|root| path.starts_with(root))
            .cloned()
            .unwrap_or_else(|| path.parent().unwrap_or(Path::new("/")).to_path_buf())
    }

    fn settings_for(&mut self, root: &Path) -> io::Result<Settings> {
        if let Some(settings) = self.settings.get(root) {
            return Ok(settings.clone());
        }
        let settings = match (self.load_settings)(root, self.ruleset.as_deref()) {
            Ok(settings) => settings,
            Err(error) => {
                self.show_message(
                    lsp_types::MessageType::ERROR,
                    format!("pathfinder: {error}; checking with the default settings"),
                )?;
                Settings {
                    rules: pathfinder_rules::rules().to_vec(),
                    skip_tests: true,
                    ..Settings::default()
                }
            }
        };
        self.settings.insert(root.to_path_buf(), settings.clone());
        Ok(settings)
    }

    fn check_due(&mut self) -> io::Result<()> {
        let now = Instant::now();
        let due: Vec<String> = self
            .documents
            .iter()
            .filter(|(_, document)| document.due.is_some_and(|due| due <= now))
            .map(|(uri, _)| uri.clone())
            .collect();
        for uri in due {
            let settings_like = self.check(&uri)?;
            if settings_like {
                for (other, document) in &mut self.documents {
                    if *other != uri && document.python && document.due.is_none() {
                        document.due = Some(now);
                    }
                }
            }
        }
        Ok(())
    }

    /// Checks one document and publishes its findings; true when the
    /// document is one whose changes may move other documents' findings.
    fn check(&mut self, uri: &str) -> io::Result<bool> {
        let Some(document) = self.documents.get_mut(uri) else {
            return Ok(false);
        };
        document.due = None;
        let was_settings_like = document.is_settings_like();
        if document.text.len() > MAX_DOCUMENT_BYTES {
            let message = format!(
                "pathfinder: `{}` is {} bytes, more than the {MAX_DOCUMENT_BYTES} checked in an editor; run `pathfinder scan` on it",
                document.path.display(),
                document.text.len()
            );
            document.findings.clear();
            let version = document.version;
            self.publish(uri, Vec::new(), Some(version))?;
            self.show_message(lsp_types::MessageType::WARNING, message)?;
            return Ok(false);
        }
        let path = document.path.clone();
        let root = self.root_of(&path);
        let mut settings = self.settings_for(&root)?;
        let mut overlay = Overlay::new();
        for open in self.documents.values().filter(|open| open.python) {
            overlay.insert(open.path.clone(), open.text.as_str());
        }
        settings.root = root;
        settings.overlay = Some(Arc::new(overlay));
        settings.paths = Some(vec![path.clone()]);
        settings.fix = FixMode::Off;
        settings.changed_lines = None;
        settings.baseline = None;
        settings.report_unused_ignores = false;
        if settings.jobs == 0 {
            settings.jobs = 2;
        }
        let (findings, source) = match pathfinder_engine::scan(&settings, &NoProgress) {
            Ok(report) => {
                let document = &self.documents[uri];
                let mut findings = Vec::new();
                let mut source: Arc<str> = Arc::from(document.text.as_str());
                for file in report.files {
                    source = file.source.clone();
                    findings.extend(file.findings.into_iter().map(|finding| finding.diagnostic));
                }
                (findings, source)
            }
            Err(error) => {
                self.show_message(
                    lsp_types::MessageType::ERROR,
                    format!("pathfinder: {error}"),
                )?;
                (Vec::new(), Arc::from(self.documents[uri].text.as_str()))
            }
        };
        let Some(document) = self.documents.get_mut(uri) else {
            return Ok(false);
        };
        let lines = Lines::new(&source);
        let published: Vec<LspDiagnostic> = findings
            .iter()
            .map(|finding| lsp_diagnostic(finding, &lines))
            .collect();
        document.findings = findings;
        document.checked_text = source.clone();
        let version = document.version;
        let settings_like = was_settings_like || document.is_settings_like();
        self.publish(uri, published, Some(version))?;
        Ok(settings_like)
    }

    fn publish(
        &mut self,
        uri: &str,
        diagnostics: Vec<LspDiagnostic>,
        version: Option<i32>,
    ) -> io::Result<()> {
        let Ok(uri) = uri.parse::<Uri>() else {
            return Ok(());
        };
        self.notify(
            "textDocument/publishDiagnostics",
            PublishDiagnosticsParams {
                uri,
                diagnostics,
                version,
            },
        )
    }

    /// Answers the queued requests whose documents are checked.
    fn answer_queue(&mut self) -> io::Result<()> {
        let queue = std::mem::take(&mut self.queue);
        for pending in queue {
            let uri = pending
                .request
                .params
                .pointer("/textDocument/uri")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            if self
                .documents
                .get(&uri)
                .is_some_and(|doc| doc.due.is_some())
            {
                self.queue.push(pending);
                continue;
            }
            let request = pending.request;
            let id = request.id.clone();
            let result = match request.method.as_str() {
                "textDocument/hover" => serde_json::from_value::<HoverParams>(request.params)
                    .map(|params| serde_json::to_value(self.hover(&params)).unwrap_or(Value::Null)),
                _ => serde_json::from_value::<lsp_types::CodeActionParams>(request.params).map(
                    |params| {
                        serde_json::to_value(self.code_actions(&params)).unwrap_or(Value::Null)
                    },
                ),
            };
            match result {
                Ok(value) => self.respond(Response::new_ok(id, value))?,
                Err(error) => self.error(
                    id,
                    ErrorCode::InvalidParams,
                    format!("invalid parameters: {error}"),
                )?,
            }
        }
        Ok(())
    }

    fn hover(&self, params: &HoverParams) -> Option<Hover> {
        let position = &params.text_document_position_params;
        let document = self.documents.get(position.text_document.uri.as_str())?;
        let lines = Lines::new(&document.checked_text);
        let offset = lines.offset(position.position);
        let line = lines.index.line_of(offset);
        let finding = document.findings.iter().find(|finding| {
            finding.range.contains_inclusive(offset)
                || lines.index.line_of(finding.range.start()) == line
        })?;
        let rule = pathfinder_rules::find_rule(finding.rule)?;
        let mut text = format!(
            "**{}**: {}\n\nSeverity: {}\n\n{}\n\n",
            rule.id,
            rule.title,
            finding.severity,
            finding_message(finding)
        );
        text.push_str(rule.docs.trim_end());
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: text,
            }),
            range: Some(lines.range(finding.range)),
        })
    }

    fn code_actions(
        &self,
        params: &lsp_types::CodeActionParams,
    ) -> Vec<lsp_types::CodeActionOrCommand> {
        let Some(document) = self.documents.get(params.text_document.uri.as_str()) else {
            return Vec::new();
        };
        actions::code_actions(document, params)
    }
}

fn is_config_file(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|name| name == ".pathfinder.toml" || name == "pyproject.toml")
}

/// The finding's message with the reason for each insecure (or unknown)
/// attribute, where the message does not already give it.
pub(crate) fn finding_message(finding: &Diagnostic) -> String {
    let mut message = finding.message.clone();
    for detail in &finding.details {
        let shown = detail.state.is_insecure() || detail.state == AttributeState::Dynamic;
        if shown && !finding.message.contains(&detail.reason) {
            let _ = write!(message, "\n{}: {}", detail.attribute, detail.reason);
        }
    }
    message
}

fn lsp_diagnostic(finding: &Diagnostic, lines: &Lines<'_>) -> LspDiagnostic {
    let severity = match finding.severity.level() {
        Level::Error => DiagnosticSeverity::ERROR,
        Level::Warning => DiagnosticSeverity::WARNING,
        Level::Note => DiagnosticSeverity::INFORMATION,
    };
    LspDiagnostic {
        range: lines.range(finding.range),
        severity: Some(severity),
        code: Some(NumberOrString::String(finding.rule.to_string())),
        // The rule's documentation is on the hover; there is no local page
        // to link to, and a web link would reach the network.
        code_description: None,
        source: Some("pathfinder".to_string()),
        message: finding_message(finding),
        related_information: None,
        tags: None,
        data: None,
    }
}
