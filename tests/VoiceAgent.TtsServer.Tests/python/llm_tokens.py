# LLM token streaming in the style of the Telnyx docs examples: tokens go to the socket as they
# arrive; the server buffers them to sentence boundaries and strips the markdown.
import asyncio
import json
import base64
import os
import websockets

TOKENS = ["##", " Answer", "\n\n", "The", " **", "capital", "**", " of", " France", " is", " Paris", ".",
          " It", " has", " about", " 2", ".", "1", " million", " people", " 🇫🇷", ".",
          " See", " [", "this", " page", "](", "https://example.com", ")", " for", " more", "."]

async def llm_stream():
    url = os.environ["TTS_SERVER_URL"] + "?voice=Telnyx.NaturalHD.astra"
    headers = {"Authorization": "Bearer YOUR_API_KEY"}

    async with websockets.connect(url, extra_headers=headers) as ws:
        await ws.send(json.dumps({"text": " "}))

        for token in TOKENS:
            await ws.send(json.dumps({"text": token}))

        await ws.send(json.dumps({"text": ""}))

        audio_chunks = []
        async for message in ws:
            data = json.loads(message)
            if data.get("error"):
                print(f"Error: {data['error']}")
                break
            if data.get("audio"):
                audio_chunks.append(base64.b64decode(data["audio"]))
            if data.get("text"):
                print("spoken:", data["text"])
            if data.get("isFinal"):
                break

    with open("output.mp3", "wb") as f:
        for chunk in audio_chunks:
            f.write(chunk)

asyncio.run(llm_stream())
