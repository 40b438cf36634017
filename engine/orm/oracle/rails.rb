# The Rails oracle: runs each migration file given on the command line with
# ActiveRecord (Debian's ruby-activerecord) against a fresh database cloned from the
# template database, the way `rails db:migrate` runs it (in a transaction unless the
# class calls disable_ddl_transaction!), then rolls it back, and prints the SQL
# ActiveRecord sent for each direction as JSON on stdout.
#
#   ruby rails.rb SOCKET_DIR TEMPLATE_DB FILE...
require "json"
require "active_record"

socket, template, *files = ARGV
admin = { adapter: "postgresql", host: socket, username: "postgres", database: "postgres" }

def capture
  sqls = []
  sub = ActiveSupport::Notifications.subscribe("sql.active_record") do |*, payload|
    next if payload[:name] == "SCHEMA" # the adapter's own catalog queries
    sqls << payload[:sql]
  end
  error = nil
  begin
    yield
  rescue StandardError => e
    line = e.message.lines.map(&:strip).find { |l| !l.empty? }
    error = [e.class.name, line].compact.join(": ")
  ensure
    ActiveSupport::Notifications.unsubscribe(sub)
  end
  [sqls, error]
end

out = []
files.each_with_index do |file, i|
  db = "rails_oracle_#{i}"
  ActiveRecord::Base.establish_connection(admin)
  ActiveRecord::Base.connection.execute(%(DROP DATABASE IF EXISTS "#{db}"))
  ActiveRecord::Base.connection.execute(%(CREATE DATABASE "#{db}" TEMPLATE "#{template}"))
  ActiveRecord::Base.establish_connection(admin.merge(database: db))
  load File.expand_path(file)
  klass = Object.const_get(File.read(file)[/^class\s+(\w+)\s*</, 1])
  result = { file: file }
  [[:up, "up"], [:down, "down"]].each do |dir, key|
    migration = klass.new
    migration.verbose = false
    sqls, error = capture do
      if klass.disable_ddl_transaction
        migration.migrate(dir)
      else
        ActiveRecord::Base.transaction { migration.migrate(dir) }
      end
    end
    result[key] = sqls
    result["#{key}Error"] = error if error
    break if error
  end
  out << result
  ActiveRecord::Base.connection.disconnect!
end
puts JSON.generate(out)
