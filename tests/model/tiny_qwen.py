"""Build a tiny, randomly initialised Qwen3-VL checkpoint that loads like a real one.

Nothing can be downloaded here, so the checkpoint is assembled from parts: a byte-level
BPE tokenizer trained on the fly with the Qwen special tokens, the real image and video
processors (patch 16, merge 2), a chat template that places the vision markers, and a
``Qwen3VLConfig`` small enough to run on two CPU cores.
"""

from __future__ import annotations

from pathlib import Path

SPECIAL = [
    "<|endoftext|>",
    "<|im_start|>",
    "<|im_end|>",
    "<|vision_start|>",
    "<|vision_end|>",
    "<|image_pad|>",
    "<|video_pad|>",
]
# In the real tokenizer these are added tokens that decoding keeps (not "special").
ADDED = ["<tool_call>", "</tool_call>", "<think>", "</think>"]

CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "<|im_start|>{{ message['role'] }}\n"
    "{% if message['content'] is string %}{{ message['content'] }}"
    "{% else %}{% for part in message['content'] %}"
    "{% if part['type'] == 'image' %}<|vision_start|><|image_pad|><|vision_end|>"
    "{% elif part['type'] == 'text' %}{{ part['text'] }}{% endif %}"
    "{% endfor %}{% endif %}<|im_end|>\n"
    "{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)

CORPUS = [
    'Thought: click the button. Action: click it. <tool_call>{"name": "computer_use", '
    '"arguments": {"action": "left_click", "coordinate": [500, 500]}}</tool_call>',
    "You are a helpful assistant. Use a mouse and keyboard to interact with a computer.",
    "The screen's resolution is 1000x1000. Please generate the next move.",
]


def build_tiny_qwen3vl(out_dir: Path, *, seed: int = 0) -> Path:
    """Write a loadable tiny Qwen3-VL checkpoint to ``out_dir`` and return it."""
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import (
        Qwen2TokenizerFast,
        Qwen2VLImageProcessor,
        Qwen3VLConfig,
        Qwen3VLForConditionalGeneration,
        Qwen3VLProcessor,
    )

    from screenpilot.model.backends.hf_processor import image_only

    torch.manual_seed(seed)
    bpe = Tokenizer(models.BPE(unk_token=None))
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=400,
        special_tokens=SPECIAL,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    bpe.train_from_iterator(CORPUS * 4, trainer=trainer)
    tokenizer = Qwen2TokenizerFast(
        tokenizer_object=bpe,
        eos_token="<|im_end|>",
        pad_token="<|endoftext|>",
        unk_token=None,
        bos_token=None,
    )
    tokenizer.add_tokens(ADDED, special_tokens=False)
    ids = {t: tokenizer.convert_tokens_to_ids(t) for t in SPECIAL}
    image_kwargs = {"patch_size": 16, "merge_size": 2, "temporal_patch_size": 2}
    size = {"shortest_edge": 64 * 32 * 32, "longest_edge": 16384 * 32 * 32}
    # image-only: the video processor needs torchvision, absent from CPU-only machines
    processor = image_only(Qwen3VLProcessor)(
        image_processor=Qwen2VLImageProcessor(size=size, **image_kwargs),
        tokenizer=tokenizer,
        chat_template=CHAT_TEMPLATE,
    )
    vocab = len(tokenizer)
    config = Qwen3VLConfig(
        text_config={
            "vocab_size": vocab,
            "hidden_size": 64,
            "intermediate_size": 128,
            "num_hidden_layers": 2,
            "num_attention_heads": 4,
            "num_key_value_heads": 2,
            "head_dim": 16,
            "max_position_embeddings": 8192,
            "rope_parameters": {"rope_type": "default", "rope_theta": 10000.0, "mrope_section": [2, 3, 3]},
            "pad_token_id": ids["<|endoftext|>"],
        },
        vision_config={
            "depth": 2,
            "hidden_size": 64,
            "intermediate_size": 128,
            "num_heads": 4,
            "patch_size": 16,
            "spatial_merge_size": 2,
            "temporal_patch_size": 2,
            "out_hidden_size": 64,
            "num_position_embeddings": 256,
            "deepstack_visual_indexes": [0, 1],
        },
        image_token_id=ids["<|image_pad|>"],
        video_token_id=ids["<|video_pad|>"],
        vision_start_token_id=ids["<|vision_start|>"],
        vision_end_token_id=ids["<|vision_end|>"],
    )
    model = Qwen3VLForConditionalGeneration(config)
    model.generation_config.eos_token_id = ids["<|im_end|>"]
    model.generation_config.pad_token_id = ids["<|endoftext|>"]
    model.save_pretrained(out_dir)
    processor.save_pretrained(out_dir)
    return out_dir
