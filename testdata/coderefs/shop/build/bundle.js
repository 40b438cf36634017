const q = "SELECT nickname FROM users";
