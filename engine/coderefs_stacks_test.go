package engine_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/coderefs"
	"github.com/migsafe/migsafe/engine/coderefs/coderefstest"
	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/rules"
)

// stackRepo is a git repository of small application files (path -> text) whose
// previous release (coderefstest.BaseTag) has the files of base on top.
func stackRepo(t *testing.T, head, base map[string]string) string {
	t.Helper()
	write := func(files map[string]string) string {
		dir := t.TempDir()
		for p, text := range files {
			full := filepath.Join(dir, filepath.FromSlash(p))
			if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(full, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	return coderefstest.Repo(t, write(head), write(base))
}

// codeFinding analyses the one-statement migration sql in repo (against its code at
// HEAD, and at the base tag when withBase) and returns its finding of rule.
func codeFinding(t *testing.T, repo, sql, rule string, withBase bool) *engine.Finding {
	t.Helper()
	path := filepath.Join(repo, "migrations", "0002_change.sql")
	opts := coderefs.Options{}
	if withBase {
		opts.BaseRef = coderefstest.BaseTag
	}
	res := engine.Analyze(path, sql, config.Default(), engine.Options{Code: coderefs.Open(repo, opts)})
	for _, f := range res.Findings {
		if f.Rule.ID == rule {
			return f
		}
	}
	t.Fatalf("%s: no %s finding", sql, rule)
	return nil
}

// TestUsesNamedOncePerLine: two uses on one line (a Rails select whose result is
// mapped by the same name, a query naming the column twice) are one place to change;
// the message named the line twice ("user.rb:3 (Rails model User), user.rb:3 (Rails
// model User)").
func TestUsesNamedOncePerLine(t *testing.T) {
	repo := stackRepo(t, map[string]string{
		"app/models/user.rb":   "class User < ApplicationRecord\n  def self.emails\n    select(:email).map(&:email)\n  end\nend\n",
		"db/queries/users.sql": "-- name: GetUserByEmail :one\nSELECT id, email FROM users WHERE email = $1;\n",
	}, nil)
	f := codeFinding(t, repo, "ALTER TABLE users DROP COLUMN email;", "removing-used-object", false)
	for _, use := range []string{"app/models/user.rb:3 (Rails model User)", "db/queries/users.sql:2 (sqlc query GetUserByEmail)"} {
		if n := strings.Count(f.Message, use); n != 1 {
			t.Errorf("%s named %d times: %s", use, n, f.Message)
		}
	}
	if len(f.Uses) < 4 {
		t.Errorf("the finding keeps every position, got %d: %v", len(f.Uses), f.Uses)
	}
}

// TestRailsSchemaDumpIsNoUse: the safe way to drop a column in Rails (a release whose
// model lists it in ignored_columns, then the drop) passes with --base; db/schema.rb
// and db/structure.sql, which name every column, are no code that uses it (their
// `t.string "legacy_code"` was a mention that kept the drop a FLAG).
func TestRailsSchemaDumpIsNoUse(t *testing.T) {
	model := "class Account < ApplicationRecord\n  self.ignored_columns += [\"legacy_code\"]\nend\n"
	repo := stackRepo(t, map[string]string{
		"app/models/account.rb": model,
		"db/schema.rb":          "ActiveRecord::Schema[7.1].define(version: 1) do\n  create_table \"accounts\" do |t|\n    t.string \"legacy_code\"\n  end\nend\n",
		"db/structure.sql":      "CREATE TABLE public.accounts (\n    id bigint NOT NULL,\n    legacy_code character varying\n);\n",
	}, nil)
	f := codeFinding(t, repo, "ALTER TABLE accounts DROP COLUMN legacy_code;", "removing-used-object", true)
	if f.Status != rules.OK || strings.Contains(f.Message, "schema.rb") {
		t.Errorf("%s: %s", f.Status, f.Message)
	}
}

// TestModelFieldOfAnotherColumnIsNoMention: a Django field the model maps to another
// table (Order.status, db_table "orders") or to another column (nickname with
// db_column "nick", or a TypeORM @Column({ name: "nick" })) was a mention of users.status and users.nickname in a models.py
// that also names users; the drops they do not use pass with --base now, while the
// column the field does map stays a BLOCK.
func TestModelFieldOfAnotherColumnIsNoMention(t *testing.T) {
	models := `from django.db import models


class User(models.Model):
    email = models.EmailField()
    nickname = models.CharField(max_length=50, db_column="nick")

    class Meta:
        db_table = "users"


class Order(models.Model):
    status = models.IntegerField()

    class Meta:
        db_table = "orders"
`
	entity := "import { Entity, Column } from \"typeorm\";\n\n@Entity(\"users\")\nexport class User {\n  @Column({ name: \"nick\" })\n  nickname: string;\n}\n"
	repo := stackRepo(t, map[string]string{"shop/models.py": models, "web/user.ts": entity}, nil)
	for _, sql := range []string{"ALTER TABLE users DROP COLUMN status;", "ALTER TABLE users DROP COLUMN nickname;"} {
		if f := codeFinding(t, repo, sql, "removing-used-object", true); f.Status != rules.OK {
			t.Errorf("%s: %s: %s", sql, f.Status, f.Message)
		}
	}
	f := codeFinding(t, repo, "ALTER TABLE users DROP COLUMN nick;", "removing-used-object", true)
	if f.Status != rules.Block || !strings.Contains(f.Message, "shop/models.py:6 (Django field User.nickname)") || !strings.Contains(f.Message, "web/user.ts:5 (TypeORM entity User.nickname)") {
		t.Errorf("users.nick: %s: %s", f.Status, f.Message)
	}
}

// TestRailsQueryHashKeys: a Rails model's where(email: e) and find_by(email: e) query
// the column; they were mentions ("identifiers named like it at user.rb:3"), and a
// model that queries a column only that way did not BLOCK its drop. An option of a
// validation (presence: true) is no column (at most a mention).
func TestRailsQueryHashKeys(t *testing.T) {
	model := "class User < ApplicationRecord\n  def self.by_email(e)\n    where(email: e).first || find_by(login: e)\n  end\n  validates :nickname, presence: true\nend\n"
	repo := stackRepo(t, map[string]string{"app/models/user.rb": model}, nil)
	for col, line := range map[string]string{"email": "app/models/user.rb:3 (Rails model User)", "login": "app/models/user.rb:3 (Rails model User)"} {
		f := codeFinding(t, repo, "ALTER TABLE users DROP COLUMN "+col+";", "removing-used-object", false)
		if f.Status != rules.Block || !strings.Contains(f.Message, "still uses it, at "+line) {
			t.Errorf("users.%s: %s: %s", col, f.Status, f.Message)
		}
	}
	if f := codeFinding(t, repo, "ALTER TABLE users DROP COLUMN presence;", "removing-used-object", true); f.Status == rules.Block {
		t.Errorf("users.presence: %s: %s", f.Status, f.Message)
	}
}

// TestKnexQueries: Knex builder chains name their table and columns as strings:
// knex("users").select("email"), db("users").where({ email }), knex.select("login").from("users").
// They were mentions, so a drop of a column only Knex queries was no BLOCK. A chain on
// another table (knex("orders").where("status", 1)) is no use of users.status.
func TestKnexQueries(t *testing.T) {
	src := `const knex = require("./db");

async function emails() {
  return knex("users").select("email", "users.name as full_name");
}

async function byEmail(email) {
  return db("users").where({ email }).first();
}

async function logins() {
  return knex.select("login").from("users").orderBy("created_at", "desc");
}

async function paid() {
  return knex("orders").where("status", 1).count();
}

module.exports = { emails, byEmail, logins, paid };
`
	repo := stackRepo(t, map[string]string{"src/repo/users.js": src}, nil)
	for col, at := range map[string]string{
		"email":      "src/repo/users.js:4 (Knex query on users), src/repo/users.js:8 (Knex query on users)",
		"name":       "src/repo/users.js:4 (Knex query on users)",
		"login":      "src/repo/users.js:12 (Knex query on users)",
		"created_at": "src/repo/users.js:12 (Knex query on users)",
	} {
		f := codeFinding(t, repo, "ALTER TABLE users DROP COLUMN "+col+";", "removing-used-object", false)
		if f.Status != rules.Block || !strings.Contains(f.Message, "still uses it, at "+at+":") {
			t.Errorf("users.%s: %s: %s", col, f.Status, f.Message)
		}
	}
	if f := codeFinding(t, repo, "ALTER TABLE users DROP COLUMN status;", "removing-used-object", false); f.Status == rules.Block {
		t.Errorf("users.status: %s: %s", f.Status, f.Message)
	}
	if f := codeFinding(t, repo, "ALTER TABLE orders DROP COLUMN status;", "removing-used-object", false); f.Status != rules.Block || !strings.Contains(f.Message, "src/repo/users.js:16 (Knex query on orders)") {
		t.Errorf("orders.status: %s: %s", f.Status, f.Message)
	}
}

// TestSQLAlchemyModels: SQLAlchemy's declarative attributes (Column, mapped_column,
// a column named apart: Column("nick", ...)) and Core's Table("orders", metadata,
// Column("status", ...)) map columns; they were mentions only (drops FLAGged with
// "identifiers named like it"), and the orders Table's status one of users.status.
func TestSQLAlchemyModels(t *testing.T) {
	src := `from sqlalchemy import Column, Integer, String, Table, MetaData
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

metadata = MetaData()


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(255))
    nickname = Column("nick", String(50))


orders = Table(
    "orders",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("status", Integer),
)
`
	repo := stackRepo(t, map[string]string{"app/models.py": src}, nil)
	for sql, at := range map[string]string{
		"ALTER TABLE users DROP COLUMN email;":   "app/models.py:15 (SQLAlchemy model User.email)",
		"ALTER TABLE users DROP COLUMN nick;":    "app/models.py:16 (SQLAlchemy model User.nickname)",
		"ALTER TABLE orders DROP COLUMN status;": "app/models.py:23 (SQLAlchemy table orders)",
		"DROP TABLE users;":                      "app/models.py:11 (SQLAlchemy model User)",
	} {
		rule := "removing-used-object"
		f := codeFinding(t, repo, sql, rule, false)
		if f.Status != rules.Block || !strings.Contains(f.Message, "still uses it, at "+at) {
			t.Errorf("%s: %s: %s", sql, f.Status, f.Message)
		}
	}
	for _, sql := range []string{"ALTER TABLE users DROP COLUMN status;", "ALTER TABLE users DROP COLUMN nickname;"} {
		if f := codeFinding(t, repo, sql, "removing-used-object", true); f.Status != rules.OK {
			t.Errorf("%s: %s: %s", sql, f.Status, f.Message)
		}
	}
}

// TestTypeORMNameOptionIsNoMention: the name key of @Entity({ name: "users" }) and
// @Column({ name: "email" }) is TypeORM's syntax; it was a mention of users.name, so
// dropping a name column no code uses never passed with --base.
func TestTypeORMNameOptionIsNoMention(t *testing.T) {
	entity := "import { Entity, Column } from \"typeorm\";\n\n@Entity({ name: \"users\" })\nexport class User {\n  @Column({ name: \"email\" })\n  emailAddress: string;\n}\n"
	repo := stackRepo(t, map[string]string{"src/entities/user.ts": entity}, nil)
	if f := codeFinding(t, repo, "ALTER TABLE users DROP COLUMN name;", "removing-used-object", true); f.Status != rules.OK {
		t.Errorf("users.name: %s: %s", f.Status, f.Message)
	}
	if f := codeFinding(t, repo, "ALTER TABLE users DROP COLUMN email;", "removing-used-object", true); f.Status != rules.Block {
		t.Errorf("users.email: %s: %s", f.Status, f.Message)
	}
}

// TestSequelizeModels: Sequelize's define and init map attributes to columns (field:
// names one apart); they were mentions only, so their drops were FLAGs.
func TestSequelizeModels(t *testing.T) {
	define := `const { DataTypes } = require("sequelize");
module.exports = (sequelize) =>
  sequelize.define("Account", {
    legacyCode: { type: DataTypes.STRING, field: "legacy_code" },
    plan: DataTypes.STRING,
  }, { tableName: "accounts" });
`
	init := `const { Model, DataTypes } = require("sequelize");
class Invoice extends Model {}
Invoice.init({ total: DataTypes.INTEGER }, { sequelize });
module.exports = Invoice;
`
	repo := stackRepo(t, map[string]string{"models/account.js": define, "models/invoice.js": init}, nil)
	for sql, at := range map[string]string{
		"ALTER TABLE accounts DROP COLUMN legacy_code;": "models/account.js:4 (Sequelize model Account.legacyCode)",
		"ALTER TABLE accounts DROP COLUMN plan;":        "models/account.js:5 (Sequelize model Account.plan)",
		"ALTER TABLE invoices DROP COLUMN total;":       "models/invoice.js:3 (Sequelize model Invoice.total)",
	} {
		f := codeFinding(t, repo, sql, "removing-used-object", false)
		if f.Status != rules.Block || !strings.Contains(f.Message, "still uses it, at "+at) {
			t.Errorf("%s: %s: %s", sql, f.Status, f.Message)
		}
	}
	if f := codeFinding(t, repo, "ALTER TABLE accounts DROP COLUMN legacycode;", "removing-used-object", true); f.Status != rules.OK {
		t.Errorf("accounts.legacycode: %s: %s", f.Status, f.Message)
	}
}

// TestDjangoQueries: queries through a model's manager, in a file apart from the
// model (views.py), name the model's columns: values("email"), filter(login=F("email")),
// order_by("-created_at"), Q(status=1). They were mentions only, so a drop of a column
// only queries used was a FLAG; a query on Order is no use of users.status.
func TestDjangoQueries(t *testing.T) {
	models := "from django.db import models\n\n\nclass User(models.Model):\n    class Meta:\n        db_table = \"users\"\n"
	views := `from django.db.models import F, Q

from .models import Order, User


def emails():
    return list(User.objects.values("email"))


def same():
    return User.objects.filter(login=F("nick")).order_by("-created_at")


def paid():
    return Order.objects.filter(Q(status=1)).count()
`
	repo := stackRepo(t, map[string]string{"shop/models.py": models, "shop/views.py": views}, nil)
	for col, at := range map[string]string{
		"email": "shop/views.py:7 (Django query on User)", "login": "shop/views.py:11 (Django query on User)",
		"nick": "shop/views.py:11 (Django query on User)", "created_at": "shop/views.py:11 (Django query on User)",
	} {
		f := codeFinding(t, repo, "ALTER TABLE users DROP COLUMN "+col+";", "removing-used-object", false)
		if f.Status != rules.Block || !strings.Contains(f.Message, "still uses it, at "+at) {
			t.Errorf("users.%s: %s: %s", col, f.Status, f.Message)
		}
	}
	if f := codeFinding(t, repo, "ALTER TABLE users DROP COLUMN status;", "removing-used-object", false); f.Status == rules.Block {
		t.Errorf("users.status: %s: %s", f.Status, f.Message)
	}
	if f := codeFinding(t, repo, "ALTER TABLE orders DROP COLUMN status;", "removing-used-object", false); f.Status != rules.Block || !strings.Contains(f.Message, "shop/views.py:15 (Django query on Order)") {
		t.Errorf("orders.status: %s: %s", f.Status, f.Message)
	}
}

// TestRailsQueriesOutsideTheModel: a controller's User.where(email: e).pluck(:login)
// and User.order(:created_at) query the model's columns; they were mentions only, so
// a drop of a column only such queries used was a FLAG. A query on Order is no use of
// users.status.
func TestRailsQueriesOutsideTheModel(t *testing.T) {
	ctrl := `class UsersController < ApplicationController
  def index
    @logins = User.where(email: params[:email]).pluck(:login)
    @recent = User.order(:created_at).limit(10)
    @paid = Order.where(status: :paid).count
  end
end
`
	repo := stackRepo(t, map[string]string{"app/controllers/users_controller.rb": ctrl}, nil)
	for col, at := range map[string]string{
		"email": "app/controllers/users_controller.rb:3 (Rails query on User)", "login": "app/controllers/users_controller.rb:3 (Rails query on User)",
		"created_at": "app/controllers/users_controller.rb:4 (Rails query on User)",
	} {
		f := codeFinding(t, repo, "ALTER TABLE users DROP COLUMN "+col+";", "removing-used-object", false)
		if f.Status != rules.Block || !strings.Contains(f.Message, "still uses it, at "+at) {
			t.Errorf("users.%s: %s: %s", col, f.Status, f.Message)
		}
	}
	if f := codeFinding(t, repo, "ALTER TABLE users DROP COLUMN status;", "removing-used-object", false); f.Status == rules.Block {
		t.Errorf("users.status: %s: %s", f.Status, f.Message)
	}
	if f := codeFinding(t, repo, "ALTER TABLE orders DROP COLUMN status;", "removing-used-object", false); f.Status != rules.Block {
		t.Errorf("orders.status: %s: %s", f.Status, f.Message)
	}
}

// TestRailsModelOfThePreviousReleaseLoadsTheColumn: ActiveRecord loads a table's
// columns when the process starts and names each in its INSERTs, so the previous
// release's Account model, which does not ignore legacy_code, fails once the column is
// dropped: the drop was "safe while the previous release is still running" because no
// line of it names the column. It is "not safe" at the model now; with ignored_columns
// released first it passes (TestRailsSchemaDumpIsNoUse).
func TestRailsModelOfThePreviousReleaseLoadsTheColumn(t *testing.T) {
	repo := stackRepo(t,
		map[string]string{"app/models/account.rb": "class Account < ApplicationRecord\n  self.ignored_columns += [\"legacy_code\"]\n  has_many :users\nend\n"},
		map[string]string{"app/models/account.rb": "class Account < ApplicationRecord\n  has_many :users\nend\n"})
	f := codeFinding(t, repo, "ALTER TABLE accounts DROP COLUMN legacy_code;", "removing-used-object", true)
	if f.Status != rules.Flag || !strings.Contains(f.Message, "not safe while the previous release") || !strings.Contains(f.Message, "app/models/account.rb:1 (Rails model Account, which loads every column of accounts") {
		t.Errorf("%s: %s", f.Status, f.Message)
	}
	// HEAD's model is loaded after the migration by the processes it starts.
	if f := codeFinding(t, repo, "ALTER TABLE accounts DROP COLUMN plan;", "removing-used-object", false); f.Status == rules.Block {
		t.Errorf("accounts.plan at HEAD: %s: %s", f.Status, f.Message)
	}
}
