DROP INDEX `query_round_idx`;--> statement-breakpoint
CREATE INDEX `query_round_idx` ON `query` (`round_id`,`status`);--> statement-breakpoint
CREATE INDEX `label_project_labeler_idx` ON `label` (`project_id`,`labeler_id`);--> statement-breakpoint
CREATE INDEX `task_labeler_query_idx` ON `task` (`labeler_id`,`query_id`);