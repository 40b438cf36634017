UPDATE users SET email_normalized = NULL;
