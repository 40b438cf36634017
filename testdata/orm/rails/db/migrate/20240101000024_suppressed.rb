# A suppression in the host language's comments, with a reason.
class SuppressedIndex < ActiveRecord::Migration[6.1]
  def change
    # migsafe:ignore require-concurrent-index-creation -- tags has a few hundred rows
    add_index :tags, :label # want-suppressed: require-concurrent-index-creation
  end
end
