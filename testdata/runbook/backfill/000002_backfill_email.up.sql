UPDATE users SET email_normalized = lower(email) WHERE email_normalized IS NULL;
