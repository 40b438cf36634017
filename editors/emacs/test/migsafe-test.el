;;; migsafe-test.el --- emacs --batch test of migsafe through eglot -*- lexical-binding: t -*-

;; Run by editors/emacs/test/run.sh:
;;   MIGSAFE_BIN=... emacs --batch -l editors/emacs/test/migsafe-test.el
;; It loads migsafe.el the way the README says, opens a migration in sql-mode, waits
;; for migsafe's diagnostics in flymake, checks the settings reached the server, picks
;; the CONCURRENTLY fix from eglot-code-actions as a user would and checks the buffer
;; and the diagnostics after it.  Exits 0 on success, 1 with a message otherwise.

;;; Code:

(require 'cl-lib)

(defvar migsafe-test--here (file-name-directory (or load-file-name buffer-file-name)))

(defun migsafe-test--fail (fmt &rest args)
  (message "FAIL: %s" (apply #'format fmt args))
  (kill-emacs 1))

(defun migsafe-test--wait (pred what &optional seconds)
  "Wait until PRED holds, up to SECONDS (default 15), or fail naming WHAT."
  (let ((deadline (+ (float-time) (or seconds 15))))
    (while (and (not (funcall pred)) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (unless (funcall pred) (migsafe-test--fail "timed out waiting for %s" what))))

(defun migsafe-test--codes ()
  "The rule IDs of the buffer's migsafe diagnostics, sorted."
  (sort (delq nil (mapcar (lambda (d)
                            (let ((lsp (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data d)))))
                              (plist-get lsp :code)))
                          (flymake-diagnostics)))
        #'string<))

(let ((bin (or (getenv "MIGSAFE_BIN") (migsafe-test--fail "MIGSAFE_BIN not set")))
      (dir (make-temp-file "migsafe-emacs" t)))
  ;; As the README says.
  (add-to-list 'load-path (expand-file-name ".." migsafe-test--here))
  (require 'migsafe)
  (setq migsafe-command (list bin "lsp" "--debounce" "20ms")
        migsafe-settings '(:tables (:users "50M")))
  (migsafe-eglot-setup)
  (setq eglot-sync-connect t eglot-autoshutdown t)
  (with-temp-file (expand-file-name "migsafe.toml" dir))
  (let ((file (expand-file-name "0001_add_email_index.sql" dir)))
    (with-temp-file file
      (insert "CREATE INDEX users_email_idx ON users (email);\n"))
    (find-file file)
    (sql-mode)
    ;; eglot-ensure connects from post-command-hook, which batch mode never runs.
    (run-hooks 'post-command-hook)
    (migsafe-test--wait (lambda () (eglot-current-server)) "eglot to connect")
    (let ((server (eglot-current-server)))
      (migsafe-test--wait (lambda () (member "require-concurrent-index-creation" (migsafe-test--codes)))
                          "the require-concurrent-index-creation diagnostic")
      (let ((before (migsafe-test--codes)))
        (unless (equal before '("require-concurrent-index-creation" "require-lock-timeout" "verdict"))
          (migsafe-test--fail "diagnostics %S" before)))
      (dolist (d (flymake-diagnostics))
        (when (equal (plist-get (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data d))) :code)
                     "require-concurrent-index-creation")
          (unless (eq (flymake-diagnostic-type d) 'eglot-error)
            (migsafe-test--fail "the BLOCK is a %s, want an error" (flymake-diagnostic-type d)))
          (unless (= (flymake-diagnostic-beg d) 1)
            (migsafe-test--fail "the finding starts at %d" (flymake-diagnostic-beg d)))))
      ;; M-x migsafe-explain on the finding explains its rule by default.
      (goto-char (point-min))
      (cl-letf (((symbol-function 'read-string) (lambda (_prompt &optional _init _hist default &rest _) default)))
        (call-interactively #'migsafe-explain))
      (let ((shown (get-buffer "*migsafe require-concurrent-index-creation*")))
        (unless (and shown (with-current-buffer shown
                             (string-prefix-p "# require-concurrent-index-creation" (buffer-string))))
          (migsafe-test--fail "migsafe-explain at the finding shows %S" (and shown (with-current-buffer shown (buffer-string))))))
      ;; The settings from migsafe-settings reached the server: the hover estimates
      ;; from the users table's size.
      (let* ((hover (jsonrpc-request server :textDocument/hover
                                     (list :textDocument (eglot--TextDocumentIdentifier)
                                           :position (list :line 0 :character 2))))
             (text (plist-get (plist-get hover :contents) :value)))
        (unless (and text (string-match-p "at ~50M rows" text))
          (migsafe-test--fail "hover does not use migsafe-settings: %S" text)))
      ;; A user's code action: eglot-code-actions asks, the user picks the fix.
      (goto-char (point-min))
      (let ((offered nil))
        (cl-letf (((symbol-function 'completing-read)
                   (lambda (_prompt items &rest _)
                     (setq offered (mapcar #'car items))
                     (or (cl-find-if (lambda (title) (string-match-p "CONCURRENTLY" title)) offered)
                         (migsafe-test--fail "no CONCURRENTLY fix among %S" offered)))))
          (let ((last-nonmenu-event 13)) ; a key, not a mouse click: the menu is completing-read
            (eglot-code-actions (point-min) (point-max) nil t)))
        (unless (string-match-p "^CREATE INDEX CONCURRENTLY users_email_idx" (buffer-string))
          (migsafe-test--fail "buffer after the fix: %S (offered %S)" (buffer-string) offered)))
      ;; eglot sends didChange from an idle timer, and batch Emacs is never idle.
      (eglot--signal-textDocument/didChange)
      (migsafe-test--wait (lambda () (not (member "require-concurrent-index-creation" (migsafe-test--codes))))
                          "the finding to go after the fix")
      (when (migsafe-test--codes)
        (migsafe-test--fail "diagnostics after the fix: %S (the file is SAFE TO SHIP)" (migsafe-test--codes)))
      (message "PASS: 3 diagnostics, migsafe-explain at the finding, the CONCURRENTLY fix applied, none after it")
      (kill-emacs 0))))
;;; migsafe-test.el ends here
