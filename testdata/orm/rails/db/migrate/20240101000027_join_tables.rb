class JoinTables < ActiveRecord::Migration[6.1]
  def change
    create_join_table :posts, :tags
    create_join_table :music_records, :music_artists, column_options: { type: :uuid }
    create_join_table :users, :tags, table_name: :memberships, column_options: { null: true } do |t|
      t.index [:user_id, :tag_id], unique: true
    end
  end
end
