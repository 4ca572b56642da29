DROP INDEX `label_project_labeler_idx`;--> statement-breakpoint
DROP INDEX `label_gold_idx`;--> statement-breakpoint
CREATE INDEX `label_project_idx` ON `label` (`project_id`);--> statement-breakpoint
CREATE INDEX `label_gold_idx` ON `label` (`project_id`,`labeler_id`) WHERE "label"."gold" = 1;--> statement-breakpoint
DROP INDEX `task_lease_idx`;--> statement-breakpoint
DROP INDEX `task_labeler_idx`;