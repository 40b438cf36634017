class User < ApplicationRecord
  has_many :orders
  belongs_to :account

  validates :nickname, length: { maximum: 30 }
  self.ignored_columns += ["legacy_flags"]

  def greeting
    "Hello, #{nickname}"
  end
end
