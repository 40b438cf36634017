-- name: GetUser :one
SELECT id, email
FROM users
WHERE id = $1;

-- name: SetNickname :exec
UPDATE users SET nickname = sqlc.arg(nickname) WHERE id = @id;
