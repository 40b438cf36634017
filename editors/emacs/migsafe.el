;;; migsafe.el --- Review PostgreSQL migrations with migsafe through eglot -*- lexical-binding: t -*-

;; URL: https://github.com/migsafe/migsafe
;; Package-Requires: ((emacs "27.1") (eglot "1.9"))
;; Keywords: languages, sql, tools

;;; Commentary:

;; Runs `migsafe lsp' for SQL buffers through eglot (built into Emacs 29; Debian's
;; elpa-eglot before):
;;
;;   (add-to-list 'load-path "/path/to/migsafe/editors/emacs")
;;   (require 'migsafe)
;;   (migsafe-eglot-setup)
;;
;; Diagnostics show through flymake, hover through eldoc, fixes through
;; `eglot-code-actions'.  Settings go to the server as initializationOptions
;; (`migsafe-settings'); a project's .dir-locals.el can give others with
;; `eglot-workspace-configuration' (:migsafe (:pgVersion 12)), which the server asks
;; for.  migsafe.toml wins where both speak.  eglot applies a workspace edit's text
;; changes but does not create files, so the fixes that write follow-up migrations are
;; not offered here: run `migsafe fix --split' for those.

;;; Code:

(require 'eglot)
(require 'cl-lib)
(require 'subr-x)

(defgroup migsafe nil
  "Production-safety review of PostgreSQL migrations."
  :group 'tools
  :prefix "migsafe-")

(defcustom migsafe-command '("migsafe" "lsp")
  "The command that runs the migsafe language server."
  :type '(repeat string))

(defcustom migsafe-settings nil
  "Settings sent to the server, a plist.
Such as (:pgVersion 15 :tables (:users \"50M\"))."
  :type 'plist)

(defcustom migsafe-modes '(sql-mode)
  "Major modes whose buffers migsafe reviews."
  :type '(repeat symbol))

(defun migsafe-eglot-contact (&optional _interactive)
  "The eglot contact for migsafe: `migsafe-command' with `migsafe-settings'."
  `(,@migsafe-command :initializationOptions (:migsafe ,(or migsafe-settings eglot--{}))))

;;;###autoload
(defun migsafe-eglot-setup (&optional no-hook)
  "Make eglot run migsafe for `migsafe-modes', and start it in their buffers.
With NO-HOOK, only register the server: start it with \\[eglot]."
  (add-to-list 'eglot-server-programs (cons migsafe-modes #'migsafe-eglot-contact))
  (unless no-hook
    (dolist (mode migsafe-modes)
      (add-hook (intern (format "%s-hook" mode)) #'eglot-ensure))))

(defun migsafe--rule-at-point ()
  "The rule of the migsafe diagnostic at point (not the verdict), or nil."
  (cl-some (lambda (d)
             (let ((code (plist-get (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data d))) :code)))
               (and (stringp code) (not (member code '("verdict" "config" "more-findings"))) code)))
           (and (bound-and-true-p flymake-mode)
                (or (flymake-diagnostics (point))
                    (flymake-diagnostics (line-beginning-position) (line-end-position))))))

(defun migsafe-explain (rule)
  "Show the documentation of RULE (`migsafe explain RULE').
Interactively, the default is the rule of the diagnostic at point, as
VS Code's and Neovim's explain commands take it."
  (interactive
   (let ((here (migsafe--rule-at-point)))
     (list (read-string (if here (format "migsafe rule (default %s): " here) "migsafe rule: ")
                        nil nil here))))
  (when (string-empty-p rule)
    (user-error "No rule: give a rule ID (migsafe rules lists them)"))
  (with-current-buffer (get-buffer-create (format "*migsafe %s*" rule))
    (let ((inhibit-read-only t))
      (erase-buffer)
      (unless (eq 0 (call-process (car migsafe-command) nil t nil "explain" rule))
        (user-error "%s" (string-trim (buffer-string)))))
    (special-mode)
    (display-buffer (current-buffer))))

(provide 'migsafe)
;;; migsafe.el ends here
